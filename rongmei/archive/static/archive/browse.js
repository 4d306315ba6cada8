/* The archive's browse page: select all on the page, the count of selected
 * assets in the bulk-edit form, and sorting without a button. */
(function () {
  "use strict";

  function init() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".archive-card__select"));
    var all = document.querySelector("[data-archive-select-all]");
    var count = document.querySelector("[data-archive-selected-count]");

    function update() {
      var checked = boxes.filter(function (box) {
        box.closest(".archive-card").classList.toggle("archive-card--selected", box.checked);
        return box.checked;
      }).length;
      if (count) count.textContent = String(checked);
      if (all) {
        all.checked = checked > 0 && checked === boxes.length;
        all.indeterminate = checked > 0 && checked < boxes.length;
      }
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", update);
    });
    if (all) {
      all.addEventListener("change", function () {
        boxes.forEach(function (box) {
          box.checked = all.checked;
        });
        update();
      });
    }
    document.querySelectorAll("[data-archive-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
