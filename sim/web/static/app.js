// sim serve: the page's few behaviours. Every number and label comes from the server;
// the shared controller (problems.js) sends the form and places what comes back; this
// script adds the rows, the slider, the figures and the sweep. Text from the server is
// set with textContent; HTML fragments come from the server's templates, which escape
// every value.
"use strict";

(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const form = document.getElementById("terms");
  const slider = document.getElementById("slider");
  const sliderParty = document.getElementById("slider-party");
  const sliderValue = document.getElementById("slider-value");
  let shares = null; // the pool shares the slider starts from (party → share)
  let parties = [];
  let figureRun = 0; // the latest evaluation's figures; an older run stops

  const controller = window.simProblems.controller({
    page: page,
    storeKey: "sim-serve:" + page.wid,
    visibility: visibility,
    valid: setValid,
    edited: () => figureRun++, // the figures still loading would be asked with the new fields
    result: (body) => {
      setSlider(body.slider);
      loadFigures(body.figures, ++figureRun);
    },
    restore: restoreRows, // the rows first, then their fields
  });
  const post = controller.post;
  const changed = controller.changed;

  // -- what is shown for which rule and clause --------------------------------------
  // Each field of a rule's parameter or a clause's shares names the select it follows
  // (the agreement's, or an alternative's: data-rule-field, data-clause-field).
  function valueOf(name) {
    const el = form.elements.namedItem(name);
    return el && "value" in el ? el.value : "";
  }

  function visibility() {
    const rule = valueOf("sharing.rule");
    for (const el of form.querySelectorAll("[data-rule]")) {
      if (el.classList.contains("param") || el.closest(".param") === null) {
        el.hidden = el.dataset.rule !== valueOf(el.dataset.ruleField || "sharing.rule");
      }
    }
    for (const el of form.querySelectorAll("[data-scope]")) {
      const scope = valueOf(el.dataset.scopeField || "sharing.scope");
      // an alternative's blank scope is the agreement's, which may be this one
      el.hidden = scope !== el.dataset.scope && !(scope === "" && el.dataset.scopeField !== "sharing.scope");
    }
    for (const el of form.querySelectorAll("label[data-clause]")) {
      el.hidden = valueOf(el.dataset.clauseField || "sharing." + el.dataset.clause) !== "fixed";
    }
    document.getElementById("use-shares").hidden = rule === "fixed";
  }

  // -- rows added and removed (firms, land sales, alternatives) ----------------------
  // A row's fields are named by its row key; a new row is a copy of the table's
  // <template> keyed new-1, new-2 …, and <table>.rows lists the rows in their order.
  const ROW = "__ROW__";
  const KEYED = ["name", "id", "data-error-for", "data-row", "data-rule-field", "data-clause-field", "data-scope-field"];

  function rowList(section) {
    return section.querySelector(".row-list");
  }

  function syncRows(section) {
    const keys = [...rowList(section).children].map((r) => r.dataset.row);
    form.elements.namedItem(section.dataset.table + ".rows").value = keys.join(",");
  }

  function makeRow(section, key) {
    const copy = section.querySelector("template").content.cloneNode(true);
    for (const el of copy.querySelectorAll("*")) {
      for (const attr of KEYED) {
        const v = el.getAttribute(attr);
        if (v && v.includes(ROW)) el.setAttribute(attr, v.split(ROW).join(key));
      }
    }
    const row = copy.firstElementChild;
    rowList(section).append(row);
    return row;
  }

  function setValue(name, value) {
    const el = form.elements.namedItem(name);
    if (el && "value" in el) el.value = value;
  }

  function addRow(section) {
    const table = section.dataset.table;
    const used = new Set([...rowList(section).children].map((r) => r.dataset.row));
    let n = 1;
    while (used.has("new-" + n)) n++;
    const key = "new-" + n;
    const last = rowList(section).lastElementChild;
    const row = makeRow(section, key);
    const head = table + "." + key + ".";
    const count = rowList(section).children.length;
    let title = key;
    if (table === "compare") {
      // a new alternative starts as the agreement's rule and parameters, every other
      // term blank (the agreement's)
      title = page.words.new_alternative.replace("{n}", String(count));
      for (const el of row.querySelectorAll("[name]")) {
        const rest = el.name.slice(head.length);
        if (rest === "rule" || el.closest("[data-rule]")) setValue(el.name, valueOf("sharing." + rest));
      }
      setValue(head + "label", title);
    } else {
      // a new firm or land sale starts as a copy of the last one (its rates, its price)
      for (const el of row.querySelectorAll("[name]")) {
        const rest = el.name.slice(head.length);
        if (last) setValue(el.name, valueOf(table + "." + last.dataset.row + "." + rest));
      }
      if (table === "firms") {
        setValue(head + "id", key);
        setValue(head + "name", "");
        setValue(head + "name_zh", "");
      } else {
        title = page.words.land_sale.replace("{n}", String(count));
      }
    }
    row.querySelector(".row-title").textContent = title;
    syncRows(section);
    changed();
  }

  function restoreRows(values) {
    // the rows of a page reloaded (sessionStorage): added ones made again, removed ones gone
    for (const section of form.querySelectorAll("section.rows[data-table]")) {
      const want = values[section.dataset.table + ".rows"];
      if (typeof want !== "string") continue;
      const keys = want.split(",").filter(Boolean);
      const have = new Map([...rowList(section).children].map((r) => [r.dataset.row, r]));
      for (const [key, row] of have) if (!keys.includes(key)) row.remove();
      for (const key of keys) {
        const row = have.get(key) || makeRow(section, key);
        if (!have.has(key)) row.querySelector(".row-title").textContent = key;
        rowList(section).append(row);
      }
      syncRows(section);
    }
  }

  // a row's title follows its name as typed (a firm's name in the page's language,
  // else its id; an alternative's label)
  const TITLES = { firms: ["name", "id"], compare: ["label"] };
  function retitle(target) {
    const row = target.closest && target.closest(".row[data-row]");
    const section = row && row.closest("section.rows[data-table]");
    const names = section && TITLES[section.dataset.table];
    if (!names) return;
    const head = section.dataset.table + "." + row.dataset.row + ".";
    const zh = page.lang === "zh" ? names.map((n) => n + "_zh").filter((n) => n !== "id_zh") : [];
    for (const name of [...zh, ...names]) {
      const value = valueOf(head + name).trim();
      if (value) {
        row.querySelector(".row-title").textContent = value;
        return;
      }
    }
  }
  form.addEventListener("input", (event) => retitle(event.target));

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    const remove = event.target.closest("[data-remove]");
    if (add) {
      addRow(add.closest("section.rows"));
    } else if (remove) {
      event.preventDefault(); // inside the row's summary: do not fold it
      const section = remove.closest("section.rows");
      remove.closest(".row").remove();
      syncRows(section);
      changed();
    }
  });

  // -- while the form is invalid (its results greyed by problems.js) ---------------------
  // no share can be tried nor used: the slider needs valid terms
  function setValid(ok) {
    slider.disabled = !ok;
    sliderParty.disabled = !ok;
    document.getElementById("use-shares").disabled = !ok;
  }

  // -- figures, one at a time -----------------------------------------------------------
  async function loadFigures(list, run) {
    const box = document.getElementById("figures");
    const old = new Map([...box.querySelectorAll("figure")].map((f) => [f.dataset.key, f]));
    box.replaceChildren();
    const pending = [];
    for (const fig of list) {
      const el = old.get(fig.key) || document.createElement("figure");
      el.dataset.key = fig.key;
      el.classList.add("loading");
      let img = el.querySelector("img");
      if (!img) {
        img = document.createElement("img");
        el.append(img);
      }
      img.alt = fig.title;
      let cap = el.querySelector("figcaption");
      if (!cap) {
        cap = document.createElement("figcaption");
        el.append(cap);
      }
      cap.textContent = fig.title + page.words.stop + fig.caption;
      box.append(el);
      pending.push([fig.key, el, img]);
    }
    for (const [key, el, img] of pending) {
      if (run !== figureRun) return;
      const response = await post(page.figure.replace("KEY", encodeURIComponent(key)));
      if (run !== figureRun) return;
      if (!response.ok) continue;
      const url = URL.createObjectURL(await response.blob());
      if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src);
      img.src = url;
      el.classList.remove("loading");
    }
  }

  // -- the pool-share slider --------------------------------------------------------------
  function round4(x) {
    return Math.round(x * 10000) / 10000;
  }

  function sliderShares() {
    const k = parties.indexOf(sliderParty.value);
    const x = round4(Number(slider.value) / 100);
    const others = parties.filter((_, i) => i !== k);
    const rest = others.reduce((s, p) => s + shares[p], 0);
    const out = {};
    out[parties[k]] = x;
    let given = x;
    others.forEach((p, i) => {
      if (i === others.length - 1) {
        out[p] = round4(1 - given);
      } else {
        out[p] = round4(rest > 0 ? ((1 - x) * shares[p]) / rest : (1 - x) / others.length);
        given += out[p];
      }
    });
    return out;
  }

  let inFlight = false;
  let again = false;
  async function readout() {
    if (!controller.valid) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const x = sliderShares();
    sliderValue.textContent = parties.map((p) => (100 * x[p]).toFixed(1) + "%").join(" : ");
    try {
      const response = await post(page.shares, { shares: x });
      const body = await response.json();
      if (response.ok && controller.valid) document.getElementById("shares-readout").innerHTML = body.html;
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        readout();
      }
    }
  }

  let range = null;
  function showRange() {
    // the shares this slider can reach where every party and every coalition does at
    // least as well as alone (computed by the server along this party's own line)
    const el = document.getElementById("slider-range");
    if (!range) return;
    const k = parties.indexOf(sliderParty.value);
    const line = range.lines ? range.lines[k] : [];
    if (!range.feasible) {
      el.textContent = page.words.infeasible;
      return;
    }
    if (!line || line.length === 0) {
      el.textContent = page.words.not_on_line;
      return;
    }
    const pct = (x) => (100 * x).toFixed(1) + "%";
    el.textContent = page.words.range + line.map(([lo, hi]) => pct(lo) + " – " + pct(hi)).join("; ");
  }

  function setSlider(info) {
    parties = info.parties;
    shares = Object.fromEntries(info.parties.map((p, i) => [p, info.shares[i]]));
    range = info;
    slider.value = String(Math.round(1000 * shares[sliderParty.value]) / 10);
    showRange();
    readout();
  }

  function useShares() {
    const x = sliderShares();
    form.elements.namedItem("sharing.rule").value = "fixed";
    for (const p of parties) {
      const el = form.elements.namedItem("sharing.shares." + p);
      if (el) el.value = String(x[p]);
    }
    changed();
  }

  slider.addEventListener("input", readout);
  slider.addEventListener("change", () => {
    if (form.elements.namedItem("sharing.rule").value === "fixed") useShares();
  });
  sliderParty.addEventListener("change", () => {
    slider.value = String(Math.round(1000 * shares[sliderParty.value]) / 10);
    showRange();
    readout();
  });
  document.getElementById("use-shares").addEventListener("click", useShares);

  // -- a sweep of one input, in the background -------------------------------------------
  const sweepInput = document.getElementById("sweep-input");
  const sweepStatus = document.getElementById("sweep-status");
  const progress = document.getElementById("sweep-progress");
  const runButton = document.getElementById("sweep-run");
  const cancelButton = document.getElementById("sweep-cancel");
  let job = null;

  function sweepDefaults() {
    const option = sweepInput.selectedOptions[0];
    document.getElementById("sweep-low").value = option.dataset.low;
    document.getElementById("sweep-high").value = option.dataset.high;
  }

  function sweepDone(state, text) {
    runButton.disabled = false;
    cancelButton.hidden = true;
    progress.hidden = state === "done";
    sweepStatus.textContent = text;
    job = null;
  }

  async function poll(id) {
    if (job !== id) return;
    const response = await fetch(page.job.replace("JOB", id) + "?lang=" + page.lang);
    const body = await response.json();
    if (!response.ok) return sweepDone("failed", body.error);
    progress.max = body.total;
    progress.value = body.done;
    sweepStatus.textContent = body.done + " / " + body.total;
    if (body.state === "running") return setTimeout(() => poll(id), 250);
    if (body.state === "done") {
      document.getElementById("sweep-result").innerHTML = body.html; // server-rendered, escaped
      return sweepDone("done", page.words.done_sweep + " · " + body.total);
    }
    const why =
      body.state === "cancelled"
        ? page.words.cancelled
        : body.state === "refused"
          ? body.error // no point could be run, and why
          : page.words.failed + ": " + body.error;
    sweepDone(body.state, why);
  }

  runButton.addEventListener("click", async () => {
    const response = await post(page.sweep, {
      input: sweepInput.value,
      low: Number(document.getElementById("sweep-low").value),
      high: Number(document.getElementById("sweep-high").value),
      points: Math.round(Number(document.getElementById("sweep-points").value)),
    });
    const body = await response.json();
    if (!response.ok) {
      sweepStatus.textContent = body.error + (body.problems ? " · " + page.words.problem : "");
      return;
    }
    job = body.job;
    runButton.disabled = true;
    cancelButton.hidden = false;
    progress.hidden = false;
    progress.max = body.total;
    progress.value = 0;
    document.getElementById("sweep-result").replaceChildren();
    poll(job);
  });
  cancelButton.addEventListener("click", () => {
    if (job) {
      fetch(page.cancel.replace("JOB", job), {
        method: "POST",
        headers: { "X-Sim-Token": page.token },
      });
    }
  });
  sweepInput.addEventListener("change", sweepDefaults);
  sweepDefaults();

  controller.start();
})();
