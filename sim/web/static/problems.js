// sim serve: the problems of a page's form placed beside their fields, shared by the
// page of a scenario (app.js) and of a portfolio (portfolio.js). The server says where
// each problem goes (p.slot: a field, its group, or "" for the summary at the top of
// the form), names the field by its label and gives the reason in the page's language;
// the key path follows in small print. Text is set with textContent only.
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

  return { place: place };
})();
