// sim serve, a portfolio's page: the shared controller (problems.js) sends the form and
// places what comes back; this script adds the settlement's year and what is shown for
// which choice. Every number, word and table comes from the server (its templates
// escape every value).
"use strict";

(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const form = document.getElementById("terms");
  const year = form.elements.namedItem("year");

  function visibility() {
    for (const el of form.querySelectorAll("[data-shown-with]")) {
      const chooser = form.elements.namedItem(el.dataset.shownWith);
      el.hidden = !chooser || chooser.value !== el.dataset.shownValue;
    }
  }

  const controller = window.simProblems.controller({
    page: page,
    storeKey: "sim-serve-portfolio:" + page.wid,
    own: ["year"],
    extra: () => ({ year: year.value }),
    visibility: visibility,
    // the year the statement opened on; never over a year chosen since the request left
    result: (body) => {
      if (!year.value) year.value = String(body.year);
    },
    fresh: () => {
      year.value = ""; // the first year anything moves
    },
  });
  controller.start();
})();
