/* The suggestion buttons under each version in the story editor (标题建议,
   改写, 英文翻译). The server (rongmei.versions.views.suggest_view) asks the
   configured generation service or the offline rules; nothing is saved.
   Each option is shown with 采用 (put it into the field, as if typed, so the
   live counter and Wagtail's unsaved-changes warning follow) and the whole
   list with 放弃. */
(function () {
  "use strict";

  var TEXT = {
    zh: { wait: "正在生成建议…", none: "没有可用的建议。", use: "采用", drop: "放弃", failed: "建议服务出错，请稍后再试。" },
    en: { wait: "Asking for suggestions…", none: "No suggestion.", use: "Use", drop: "Discard", failed: "The suggestion service failed; try again later." }
  };
  var t = TEXT[(document.documentElement.lang || "zh").slice(0, 2) === "en" ? "en" : "zh"];

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function field(box, name) {
    var form = box.closest("[id^='inline_child_versions-']") || document;
    return form.querySelector("[name$='-" + name + "']");
  }

  function put(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function paragraphs(text) {
    return text.split(/\n+/).filter(function (line) { return line.trim(); }).map(function (line) {
      var p = document.createElement("p");
      p.textContent = line.trim();
      return p.outerHTML;
    }).join("");
  }

  function accept(box, kind, target, option) {
    if (kind === "translation") {
      // The translation of "title\n\nbody": its first line is the title.
      var lines = option.split("\n");
      var title = field(box, "title");
      if (title) { put(title, lines.shift().trim()); }
      var rest = lines.join("\n").trim();
      put(target, target.value.trim().charAt(0) === "<" || !target.value.trim() ? paragraphs(rest) : rest);
      return;
    }
    put(target, option);
  }

  function show(box, kind, target, answer) {
    var result = box.querySelector(".version-suggest-result");
    result.textContent = "";
    if (answer.notice) {
      var notice = document.createElement("p");
      notice.className = "help-block help-warning";
      notice.textContent = answer.notice;
      result.appendChild(notice);
    }
    if (!answer.options || !answer.options.length) {
      if (!answer.notice) { result.appendChild(document.createTextNode(t.none)); }
      return;
    }
    var list = document.createElement("ul");
    answer.options.forEach(function (option) {
      var item = document.createElement("li");
      var text = document.createElement("span");
      text.textContent = option;
      var use = document.createElement("button");
      use.type = "button";
      use.className = "button button-small";
      use.textContent = t.use;
      use.addEventListener("click", function () { accept(box, kind, target, option); result.textContent = ""; });
      item.appendChild(text);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(use);
      list.appendChild(item);
    });
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button button-small button-secondary";
    drop.textContent = t.drop;
    drop.addEventListener("click", function () { result.textContent = ""; });
    result.appendChild(list);
    result.appendChild(drop);
  }

  function ask(box, button) {
    var kind = button.dataset.kind;
    var target = field(box, button.dataset.field);
    var result = box.querySelector(".version-suggest-result");
    if (!target) { return; }
    var limits = JSON.parse((document.getElementById("versions-limits") || {}).textContent || "{}");
    var channel = field(box, "channel");
    var rule = ((limits[channel && channel.value] || {})[button.dataset.field]) || {};
    var body = new URLSearchParams({ kind: kind, limit: rule.limit || 120 });
    result.textContent = t.wait;
    button.disabled = true;
    fetch(box.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (answer) { show(box, kind, target, answer); })
      .catch(function () { result.textContent = t.failed; })
      .finally(function () { button.disabled = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".version-suggest button[data-kind]");
    if (button) { ask(button.closest(".version-suggest"), button); }
  });
})();
