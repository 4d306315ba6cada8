/* Live character counters of the story editor's version fields, counted the
   way each platform counts them (the same rules as rongmei/versions/text.py
   and each format's counters()). The limits come from Python
   (rongmei.versions.views.editor_limits) in a JSON script element:
   {channel_id: {field: {"limit": n, "way": "chars" | "weibo" | "print"}}}. */
(function () {
  "use strict";

  function chars(text) {
    return Array.from(text).length; // code points: an emoji or a CJK Extension B character counts once
  }

  function weibo(text) {
    // Weibo: a non-ASCII character counts one, two ASCII characters count one (rounded up).
    var full = 0, half = 0;
    Array.from(text).forEach(function (ch) {
      if (ch.codePointAt(0) < 128) { half += 1; } else { full += 1; }
    });
    return full + Math.ceil(half / 2);
  }

  function print(text) {
    // Print: each paragraph's characters plus its two-character indent.
    return text.split("\n").reduce(function (total, line) {
      var trimmed = line.trim();
      return trimmed ? total + chars(trimmed) + 2 : total;
    }, 0);
  }

  var WAYS = { chars: chars, weibo: weibo, print: print };

  function limits() {
    var node = document.getElementById("versions-limits");
    return node ? JSON.parse(node.textContent) : {};
  }

  function attach(form, table) {
    var channel = form.querySelector("select[name$='-channel']");
    if (!channel) { return; }
    ["title", "kicker", "subtitle", "author", "summary", "body"].forEach(function (field) {
      var input = form.querySelector("[name$='-" + field + "']");
      if (!input || input.dataset.counted) { return; }
      input.dataset.counted = "1";
      var badge = document.createElement("span");
      badge.className = "version-counter";
      badge.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", badge);
      function update() {
        var rule = (table[channel.value] || {})[field];
        if (!rule) { badge.textContent = ""; return; }
        var count = (WAYS[rule.way] || chars)(input.value);
        badge.textContent = count + " / " + rule.limit;
        badge.classList.toggle("over", count > rule.limit);
      }
      input.addEventListener("input", update);
      channel.addEventListener("change", update);
      update();
    });
  }

  function scan() {
    var table = limits();
    document.querySelectorAll("[id^='inline_child_versions-']").forEach(function (form) { attach(form, table); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
  document.addEventListener("w-formset:ready", scan);
  document.addEventListener("w-formset:added", scan);
  window.rongmeiVersionCounters = { chars: chars, weibo: weibo, print: print, scan: scan };
})();
