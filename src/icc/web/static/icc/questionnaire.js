// Autosave of the questionnaire (htmx): a visible saved / saving / failed state, automatic retry with backoff,
// idempotent repeats (one edit key per change, reused by its retries), skip logic and the conflict choice.
(function () {
  "use strict";
  var pending = new Set();
  var retryDelay = new Map();

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function summary() {
    var box = document.getElementById("save-summary");
    if (!box) return;
    var failed = document.querySelectorAll("form.answer.failed").length;
    if (!navigator.onLine && pending.size) box.textContent = box.dataset.offline;
    else if (failed) box.textContent = box.dataset.failed;
    else if (pending.size) box.textContent = box.dataset.saving;
    else box.textContent = box.dataset.saved;
    box.className = "save-summary" + (failed ? " failed" : pending.size ? " saving" : "");
  }

  function state(form, cls, text) {
    var s = form.querySelector(".state");
    if (!s) return;
    s.className = "state " + cls;
    if (text) s.textContent = text;
  }

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  document.addEventListener("input", markEdit, true);
  document.addEventListener("change", markEdit, true);
  function markEdit(e) {
    var form = e.target.closest && e.target.closest("form.answer");
    if (!form) return;
    form.dataset.editKey = uuid();
    if (e.type === "change" && e.target.name === "dont_know" && e.target.checked) {
      form.querySelectorAll('input[name="value"]').forEach(function (i) {
        if (i.type === "radio" || i.type === "checkbox") i.checked = false; else i.value = "";
      });
    } else if (e.target.name === "value") {
      var dk = form.querySelector('input[name="dont_know"]');
      if (dk) dk.checked = false;
    }
    if (e.type === "change") applySkipLogic();
  }

  document.addEventListener("htmx:configRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form.answer")) return;
    if (!form.dataset.editKey) form.dataset.editKey = uuid();
    e.detail.parameters["edit_key"] = form.dataset.editKey;
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form.answer")) return;
    pending.add(form);
    state(form, "saving", document.getElementById("save-summary").dataset.saving);
    summary();
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form.answer")) return;
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status >= 200 && status < 300) {
      pending.delete(form);
      form.classList.remove("failed");
      retryDelay.delete(form);
    } else if (status === 409 || status === 422) {
      pending.delete(form);
      form.classList.remove("failed");
      var box = document.getElementById("save-summary");
      if (status === 409) state(form, "conflict", box.dataset.conflict);
    } else {
      // network error or server error: keep the edit key, try again later (1 s, 2 s, 4 s … at most 30 s)
      form.classList.add("failed");
      var delay = Math.min((retryDelay.get(form) || 500) * 2, 30000);
      retryDelay.set(form, delay);
      state(form, "failed", document.getElementById("save-summary").dataset.failed);
      setTimeout(function () { htmx.trigger(form, "retry"); }, delay);
    }
    summary();
  });

  window.addEventListener("online", function () {
    document.querySelectorAll("form.answer.failed").forEach(function (f) { htmx.trigger(f, "retry"); });
  });

  window.addEventListener("beforeunload", function (e) {
    if (pending.size || document.querySelector("form.answer.failed")) { e.preventDefault(); e.returnValue = ""; }
  });

  document.addEventListener("click", function (e) {
    var keep = e.target.closest && e.target.closest("button.keep-mine");
    if (!keep) return;
    var qid = keep.dataset.qid;
    var form = document.querySelector("#q-" + CSS.escape(qid) + " form.answer");
    document.getElementById("v-" + qid).value = keep.dataset.version;
    document.getElementById("c-" + qid).innerHTML = "";
    form.dataset.editKey = uuid();
    htmx.trigger(form, "retry");
  });

  function valueOf(qid) {
    var block = document.getElementById("q-" + qid);
    if (!block) return null;
    var checked = block.querySelectorAll('input[name="value"]:checked');
    return Array.prototype.map.call(checked, function (i) { return i.value; });
  }

  function applySkipLogic() {
    document.querySelectorAll("article.question[data-applies-if]").forEach(function (block) {
      var rule = JSON.parse(block.dataset.appliesIf);
      var values = valueOf(rule.question);
      if (values === null) return; // controlling question is on another page: keep the server's decision
      var parent = document.getElementById("q-" + rule.question);
      var shown = !parent.hidden && values.some(function (v) { return rule["in"].indexOf(v) >= 0; });
      block.hidden = !shown;
    });
  }

  function showCurrentSection() {
    var nav = document.querySelector(".sections-nav");
    var current = nav && nav.querySelector("[aria-current]");
    if (current && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2 - nav.offsetLeft;
    }
  }

  document.addEventListener("htmx:afterSwap", function () { applySkipLogic(); summary(); });
  document.addEventListener("htmx:oobAfterSwap", showCurrentSection);
  document.addEventListener("DOMContentLoaded", function () { applySkipLogic(); showCurrentSection(); });
})();
