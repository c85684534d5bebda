// sim serve, a portfolio's page: send the form, place what comes back. Every number,
// word and table comes from the server (its templates escape every value); problems
// go beside their fields, and the results are greyed as stale while the form is invalid.
"use strict";

(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const form = document.getElementById("terms");
  const status = document.getElementById("status");
  const results = document.querySelector(".results");
  const storeKey = "sim-serve-portfolio:" + page.wid;
  let generation = 0; // the latest request; older answers are dropped
  let valid = true;
  let timer = null;

  function fields() {
    const out = {};
    for (const el of form.elements) {
      if (el.name && !["lang", "token", "year"].includes(el.name)) out[el.name] = el.value;
    }
    return out;
  }

  async function post(url) {
    return fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Sim-Token": page.token,
      },
      body: JSON.stringify({ fields: fields(), lang: page.lang, year: form.elements.namedItem("year").value }),
    });
  }

  function visibility() {
    for (const el of form.querySelectorAll("[data-shown-with]")) {
      const chooser = form.elements.namedItem(el.dataset.shownWith);
      el.hidden = !chooser || chooser.value !== el.dataset.shownValue;
    }
  }

  function showProblems(problems) {
    window.simProblems.place(form, problems, page.words.colon); // problems.js
    valid = problems.length === 0;
    results.classList.toggle("stale", !valid);
    document.getElementById("stale").hidden = valid;
  }

  async function evaluate() {
    const mine = ++generation;
    status.textContent = page.words.working;
    status.className = "status busy";
    let response;
    try {
      response = await post(page.evaluate);
    } catch (err) {
      status.textContent = String(err);
      return;
    }
    const body = await response.json();
    if (mine !== generation) return;
    if (!response.ok) {
      showProblems(body.problems || [{ path: "", field: "", slot: "", label: "", message: body.error }]);
      status.textContent = page.words.problem;
      status.className = "status bad";
      return;
    }
    showProblems([]);
    for (const [id, html] of Object.entries(body.html)) {
      document.getElementById(id).innerHTML = html; // server-rendered, escaped
    }
    // the year the statement opened on; never over a year chosen since the request left
    const year = form.elements.namedItem("year");
    if (!year.value) year.value = String(body.year);
    status.textContent = page.words.done + " · " + body.seconds.toFixed(2) + " s";
    status.className = "status ok";
  }

  async function validate() {
    const mine = ++generation;
    const response = await post(page.validate);
    const body = await response.json();
    if (mine !== generation) return;
    if (!response.ok) {
      showProblems([{ path: "", field: "", slot: "", label: "", message: body.error }]);
      return;
    }
    showProblems(body.problems);
    if (body.ok) evaluate();
    else {
      status.textContent = page.words.problem;
      status.className = "status bad";
    }
  }

  function changed() {
    sessionStorage.setItem(storeKey, JSON.stringify(Object.assign(fields(), { year: form.elements.namedItem("year").value })));
    visibility();
    clearTimeout(timer);
    timer = setTimeout(validate, 300);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || !button.id.startsWith("download-") || !valid) event.preventDefault();
  });

  const saved = sessionStorage.getItem(storeKey);
  if (saved) {
    for (const [name, value] of Object.entries(JSON.parse(saved))) {
      const el = form.elements.namedItem(name);
      if (el && "value" in el) el.value = value;
    }
  } else {
    form.elements.namedItem("year").value = ""; // the first year anything moves
  }
  visibility();
  evaluate();
})();
