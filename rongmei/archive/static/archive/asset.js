/* The asset page: suggested keywords as chips that add themselves to the
 * keyword field, and fresh suggestions from the caption being written. */
(function () {
  "use strict";

  function split(value) {
    return value
      .split(/[,，、]/)
      .map(function (word) {
        return word.trim();
      })
      .filter(Boolean);
  }

  function init() {
    var box = document.querySelector("[data-archive-suggest]");
    if (!box) return;
    var target = document.getElementById(box.dataset.target);
    var source = document.getElementById(box.dataset.source);
    var chips = box.querySelector("[data-archive-chips]");
    var refresh = box.querySelector("[data-archive-refresh]");
    var csrf = box.closest("form").querySelector("input[name=csrfmiddlewaretoken]");

    chips.addEventListener("click", function (event) {
      var chip = event.target.closest("[data-keyword]");
      if (!chip || !target || target.disabled) return;
      var words = split(target.value);
      if (words.indexOf(chip.dataset.keyword) === -1) words.push(chip.dataset.keyword);
      target.value = words.join("，");
      target.dispatchEvent(new Event("change", { bubbles: true }));
      chip.remove();
    });

    if (refresh && source) {
      refresh.addEventListener("click", function () {
        var body = new FormData();
        body.append("text", source.value);
        fetch(box.dataset.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        })
          .then(function (response) {
            return response.json();
          })
          .then(function (answer) {
            var have = split(target.value);
            chips.textContent = "";
            (answer.keywords || []).forEach(function (word) {
              if (have.indexOf(word) !== -1) return;
              var chip = document.createElement("button");
              chip.type = "button";
              chip.className = "archive-chip";
              chip.dataset.keyword = word;
              chip.textContent = "+ " + word;
              chips.appendChild(chip);
            });
          });
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
