// sim serve: what the page of a scenario (app.js) and of a portfolio (portfolio.js)
// share: the form sent as it is typed, the answers placed, and the problems of the form
// beside their fields.
//
// The controller (simProblems.controller) sends the form to be validated a moment after
// each edit and evaluated once it is valid, drops every answer older than the latest
// request, places the server's HTML fragments, and greys the results as stale while the
// form is invalid; each page adds what is its own through hooks. The server says where
// each problem goes (p.slot: a field, its group, or "" for the summary at the top of
// the form), names the field by its label and gives the reason in the page's language;
// the key path follows in small print. Text is set with textContent only; HTML
// fragments come from the server's templates, which escape every value.
"use strict";

window.simProblems = (function () {
  function problemText(el, p, colon) {
    if (p.label) {
      const name = document.createElement("b");
      name.textContent = p.label;
      el.append(name, colon);
    }
    el.append(p.message);
    if (p.path) {
      const path = document.createElement("code");
      path.className = "path";
      path.textContent = p.path;
      el.append(" ", path);
    }
  }

  function shown(el) {
    const holder = el.parentElement; // an empty slot is not displayed; its holder is
    return holder !== null && holder.getClientRects().length > 0;
  }

  // place `problems` on `form` (each slot emptied first); those with no slot shown go
  // in the list of the #problems box
  function place(form, problems, colon) {
    const slots = new Map();
    for (const el of document.querySelectorAll("[data-error-for]")) {
      el.replaceChildren();
      slots.set(el.dataset.errorFor, el);
    }
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const box = document.getElementById("problems");
    const list = box.querySelector("ul");
    list.replaceChildren();
    for (const p of problems) {
      const slot = p.slot ? slots.get(p.slot) : null;
      const fold = slot && slot.closest("details");
      if (fold && !fold.open && form.contains(fold)) fold.open = true; // a row's problem: unfold it
      if (slot && shown(slot)) {
        if (slot.childNodes.length) slot.append(document.createElement("br"));
        problemText(slot, p, colon);
        const input = form.elements.namedItem(p.slot);
        if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
      } else {
        const li = document.createElement("li");
        const target = document.getElementById("f-" + p.field) || (slot && slot.parentElement);
        if (target) {
          if (!target.id) target.id = "at-" + p.field;
          const link = document.createElement("a");
          link.href = "#" + target.id;
          problemText(link, p, colon);
          li.append(link);
        } else {
          problemText(li, p, colon);
        }
        list.append(li);
      }
    }
    box.hidden = list.children.length === 0;
  }

  // The page's controller. `o`: the page's data (#page-data), the store key of its
  // sessionStorage, and hooks: own (names of fields sent apart from the form's),
  // extra() (what every request carries besides the fields: {name: value}),
  // visibility() (what is shown for which choice), edited() (after each edit, before it
  // is checked), valid(ok) (after each verdict),
  // result(body) (after an evaluation is placed), restore(values) (before the saved
  // values are set again), fresh() (no values saved).
  function controller(o) {
    const page = o.page;
    const form = document.getElementById("terms");
    const status = document.getElementById("status");
    const results = document.querySelector(".results");
    const skip = ["lang", "token"].concat(o.own || []);
    const extra = o.extra || (() => ({}));
    const self = { valid: true };
    let generation = 0; // the latest request; older answers are dropped
    let timer = null;

    function fields() {
      const out = {};
      for (const el of form.elements) {
        if (el.name && !skip.includes(el.name)) out[el.name] = el.value;
      }
      return out;
    }

    function setFields(values) {
      for (const [name, value] of Object.entries(values)) {
        const el = form.elements.namedItem(name);
        if (el && "value" in el) el.value = value;
      }
    }

    async function post(url, body) {
      return fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-Sim-Token": page.token, // every request that changes anything carries it
        },
        body: JSON.stringify(Object.assign({ fields: fields(), lang: page.lang }, extra(), body || {})),
      });
    }

    function say(text, kind) {
      status.textContent = text;
      status.className = "status " + kind;
    }

    // the numbers on the right are for the last valid terms: greyed, labelled so, and
    // with no verdict (acceptable or not) until the form is valid again
    function showProblems(problems) {
      place(form, problems, page.words.colon);
      self.valid = problems.length === 0;
      results.classList.toggle("stale", !self.valid);
      document.getElementById("stale").hidden = self.valid;
      if (o.valid) o.valid(self.valid);
    }

    function refused(error) {
      return [{ path: "", field: "", slot: "", label: "", message: error }];
    }

    async function evaluate() {
      const mine = ++generation;
      say(page.words.working, "busy");
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
        showProblems(body.problems || refused(body.error));
        say(page.words.problem, "bad");
        return;
      }
      showProblems([]);
      for (const [id, html] of Object.entries(body.html)) {
        document.getElementById(id).innerHTML = html; // server-rendered, escaped
      }
      say(page.words.done + " · " + body.seconds.toFixed(2) + " s", "ok");
      if (o.result) o.result(body);
    }

    async function validate() {
      const mine = ++generation;
      const response = await post(page.validate);
      const body = await response.json();
      if (mine !== generation) return;
      if (!response.ok) {
        showProblems(refused(body.error));
        return;
      }
      showProblems(body.problems);
      if (body.ok) evaluate();
      else say(page.words.problem, "bad");
    }

    function changed() {
      sessionStorage.setItem(o.storeKey, JSON.stringify(Object.assign(fields(), extra())));
      if (o.visibility) o.visibility();
      if (o.edited) o.edited();
      clearTimeout(timer);
      timer = setTimeout(validate, 300);
    }

    // listen to the form, set again what this tab saved, and evaluate
    function start() {
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
      form.addEventListener("submit", (event) => {
        const button = event.submitter;
        if (!button || !button.formAction || !button.id.startsWith("download-") || !self.valid) {
          event.preventDefault(); // Enter in a field, or a download of an invalid form
        }
      });
      const saved = sessionStorage.getItem(o.storeKey);
      if (saved) {
        const values = JSON.parse(saved);
        if (o.restore) o.restore(values);
        setFields(values);
      } else if (o.fresh) {
        o.fresh();
      }
      if (o.visibility) o.visibility();
      evaluate();
    }

    return Object.assign(self, { post: post, changed: changed, start: start });
  }

  return { place: place, controller: controller };
})();
