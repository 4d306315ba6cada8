/* The archive's upload page: many files, dropped or chosen, each POSTed on
 * its own with XMLHttpRequest so that each has its progress bar and its own
 * answer. A refused file shows the server's reason and the others go on.
 * No build step, no dependencies. */
(function () {
  "use strict";

  var CONCURRENT = 2;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function size(bytes) {
    if (bytes >= 1073741824) return (bytes / 1073741824).toFixed(1) + " GB";
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " B";
  }

  function init() {
    var form = document.getElementById("archive-upload");
    if (!form) return;
    var text = form.dataset;
    var input = document.getElementById("archive-files");
    var zone = form.querySelector("[data-archive-dropzone]");
    var section = document.querySelector("[data-archive-progress]");
    var list = section.querySelector("[data-archive-files]");
    var overall = section.querySelector("[data-archive-overall]");
    var summary = section.querySelector("[data-archive-summary]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    var jobs = [];
    var running = 0;
    var counts = { done: 0, created: 0, duplicates: 0, failed: 0 };

    function update() {
      var total = 0;
      var loaded = 0;
      jobs.forEach(function (job) {
        total += job.file.size || 1;
        loaded += job.finished ? job.file.size || 1 : job.loaded;
      });
      overall.value = total ? Math.round((100 * loaded) / total) : 0;
      summary.textContent = format(text.textSummary, {
        done: counts.done,
        total: jobs.length,
        new: counts.created,
        duplicates: counts.duplicates,
        failed: counts.failed,
      });
    }

    function row(file) {
      var item = document.createElement("li");
      item.className = "archive-file";
      var name = document.createElement("span");
      name.className = "archive-file__name";
      name.textContent = file.name + " (" + size(file.size) + ")";
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var status = document.createElement("span");
      status.className = "archive-file__status";
      status.textContent = text.textWaiting;
      item.append(name, bar, status);
      list.appendChild(item);
      return { item: item, bar: bar, status: status };
    }

    function finish(job, state, message, url) {
      job.finished = true;
      job.view.bar.value = 100;
      job.view.item.classList.add("archive-file--" + state);
      job.view.status.textContent = message;
      if (url) {
        var link = document.createElement("a");
        link.href = url;
        link.textContent = text.textOpen;
        link.target = "_blank";
        link.rel = "noopener";
        job.view.status.append(" ", link);
      }
      counts.done += 1;
      if (state === "created") counts.created += 1;
      if (state === "duplicate") counts.duplicates += 1;
      if (state === "failed") counts.failed += 1;
      running -= 1;
      update();
      next();
    }

    function send(job) {
      running += 1;
      var data = new FormData();
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!element.name || element.type === "file" || element.disabled) return;
        data.append(element.name, element.value);
      });
      data.append("file", job.file, job.file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      job.view.status.textContent = text.textUploading;
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) return;
        job.loaded = Math.min(event.loaded, job.file.size);
        job.view.bar.value = Math.round((100 * event.loaded) / event.total);
        if (event.loaded >= event.total) job.view.status.textContent = text.textChecking;
        update();
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (error) {
          answer = null;
        }
        if (!answer) {
          finish(job, "failed", text.textFailed + "：" + format(text.textServer, { status: xhr.status }));
        } else if (answer.ok && answer.duplicate) {
          finish(job, "duplicate", text.textDuplicate + " · " + (answer.title || ""), answer.url);
        } else if (answer.ok) {
          finish(job, "created", text.textDone, answer.url);
        } else {
          finish(job, "failed", text.textFailed + "：" + answer.message);
        }
      });
      xhr.addEventListener("error", function () {
        finish(job, "failed", text.textFailed + "：" + text.textNetwork);
      });
      xhr.send(data);
    }

    function next() {
      while (running < CONCURRENT) {
        var job = jobs.find(function (candidate) {
          return !candidate.started;
        });
        if (!job) return;
        job.started = true;
        send(job);
      }
    }

    function add(files) {
      if (!files || !files.length) return;
      section.hidden = false;
      Array.prototype.forEach.call(files, function (file) {
        jobs.push({ file: file, loaded: 0, started: false, finished: false, view: row(file) });
      });
      update();
      next();
    }

    input.addEventListener("change", function () {
      add(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("archive-dropzone--over");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.remove("archive-dropzone--over");
      });
    });
    zone.addEventListener("drop", function (event) {
      add(event.dataTransfer && event.dataTransfer.files);
    });
    zone.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        input.click();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
