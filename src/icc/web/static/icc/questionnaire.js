// Autosave of the questionnaire (htmx). Every change is sent while the person types (debounced), with a visible
// state per answer and for the page: saving, saved, not saved and why (invalid value: 422; refused: 403/404 — no
// retry, the reason is shown), conflict (409: both values shown) or retrying (network or server error: backoff).
// One edit key per change, reused by its retries (the server applies it once). Leaving the page with anything
// unsent or refused asks first. Skip logic follows the answers as they change.
(function () {
  "use strict";
  var retryDelay = new Map();
  var STOP = ["invalid", "refused", "conflict"];

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function box() { return document.getElementById("save-summary"); }
  function forms(cls) { return document.querySelectorAll("form.answer" + (cls ? "." + cls : "")); }

  function summary() {
    var b = box();
    if (!b) return;
    var text = b.dataset.saved, cls = "";
    if (forms("refused").length) { text = b.dataset.refused; cls = "failed"; }
    else if (forms("invalid").length) { text = b.dataset.invalid; cls = "failed"; }
    else if (forms("conflict").length) { text = b.dataset.conflict; cls = "failed"; }
    else if (forms("failed").length) { text = navigator.onLine ? b.dataset.failed : b.dataset.offline; cls = "failed"; }
    else if (forms("pending").length) { text = b.dataset.saving; cls = "saving"; }
    else if (forms("dirty").length) { text = b.dataset.unsent; cls = "saving"; }
    if (b.textContent !== text) b.textContent = text;
    b.className = "save-summary" + (cls ? " " + cls : "");
  }

  function setState(form, cls, text) {
    STOP.concat(["failed"]).forEach(function (c) { form.classList.remove(c); });
    if (cls) form.classList.add(cls);
    var s = form.querySelector(".state");
    if (s && text) { s.className = "state " + (cls || "saving"); s.textContent = text; }
  }

  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "400", swap: true, error: false },
    { code: "403", swap: true, error: false },
    { code: "404", swap: true, error: false },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  // a refusal that is not one of our fragments (e.g. the site's 403 page) is not drawn into the answer
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && (xhr.status === 403 || xhr.status === 404 || xhr.status === 400) && !xhr.getResponseHeader("X-Answer-State")) {
      var elt = e.detail.elt;
      if (elt.matches && !elt.matches("form.answer")) return;  // file lists and threads show their own messages
      e.detail.shouldSwap = false;
    }
  });

  document.addEventListener("input", markEdit, true);
  document.addEventListener("change", function (e) { if (e.target.closest && e.target.closest("form.answer")) applySkipLogic(); }, true);
  function markEdit(e) {
    var form = e.target.closest && e.target.closest("form.answer");
    if (!form) return;
    form.dataset.editKey = uuid();
    form.classList.add("dirty");
    if (e.target.name === "dont_know" && e.target.checked) {
      form.querySelectorAll('[name="value"]').forEach(function (i) {
        if (i.type === "radio" || i.type === "checkbox") i.checked = false; else i.value = "";
      });
    } else if (e.target.name === "value") {
      var dk = form.querySelector('input[name="dont_know"]');
      if (dk) dk.checked = false;
    }
    if (form.classList.contains("invalid") || form.classList.contains("refused")) setState(form, "", "");
    applySkipLogic();
    summary();
  }

  // Enter in a one-line field saves now instead of submitting the form to the page
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.matches && form.matches("form.answer")) { e.preventDefault(); htmx.trigger(form, "retry"); }
  }, true);

  document.addEventListener("htmx:configRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form.answer")) return;
    if (!form.dataset.editKey) form.dataset.editKey = uuid();
    e.detail.parameters["edit_key"] = form.dataset.editKey;
    form.dataset.sentKey = form.dataset.editKey;
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form.answer")) return;
    form.classList.add("pending");
    var s = form.querySelector(".state");
    if (s && !form.classList.contains("failed")) { s.className = "state saving"; s.textContent = box().dataset.saving; }
    summary();
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form.answer")) return;
    form.classList.remove("pending");
    var xhr = e.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var ours = xhr && xhr.getResponseHeader("X-Answer-State");
    if (status >= 200 && status < 300) {
      retryDelay.delete(form);
      STOP.concat(["failed"]).forEach(function (c) { form.classList.remove(c); });
      if (form.dataset.sentKey === form.dataset.editKey) {
        form.classList.remove("dirty");
        showStoredLinks(form);
      }
    } else if (status === 409) {
      retryDelay.delete(form);
      setState(form, "conflict", box().dataset.conflict);
    } else if (status === 400 || status === 422) {
      retryDelay.delete(form);
      setState(form, "invalid", ours ? "" : box().dataset.invalid);
    } else if (status === 403 || status === 404) {
      // retrying cannot help: stop and say so (the server's reason is shown when it sent one)
      retryDelay.delete(form);
      setState(form, "refused", ours ? "" : box().dataset.refused);
    } else {
      // network error or server error: keep the edit key, try again later (1 s, 2 s, 4 s … at most 30 s)
      var delay = Math.min((retryDelay.get(form) || 500) * 2, 30000);
      retryDelay.set(form, delay);
      setState(form, "failed", box().dataset.network);
      setTimeout(function () { if (form.classList.contains("failed")) htmx.trigger(form, "retry"); }, delay);
    }
    summary();
  });

  // the server stores links in canonical form (www.x → https://www.x) and says so: once the person has left the
  // field and typed nothing new, the field shows what is stored
  function showStoredLinks(form) {
    var stored = form.querySelector(".state[data-links]"), field = form.querySelector('[name="evidence_links"]');
    if (stored && field && document.activeElement !== field && !form.classList.contains("dirty")) {
      field.value = stored.dataset.links;
    }
  }
  document.addEventListener("focusout", function (e) {
    var form = e.target.name === "evidence_links" && e.target.closest("form.answer");
    if (form) setTimeout(function () { showStoredLinks(form); }, 0);
  });

  window.addEventListener("online", function () {
    forms("failed").forEach(function (f) { htmx.trigger(f, "retry"); });
  });

  window.addEventListener("beforeunload", function (e) {
    if (document.querySelector("form.answer.dirty, form.answer.pending, form.answer.failed, form.answer.invalid, form.answer.refused, form.answer.conflict")) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  document.addEventListener("click", function (e) {
    var keep = e.target.closest && e.target.closest("button.keep-mine");
    if (!keep) return;
    var qid = keep.dataset.qid;
    var form = document.querySelector("#q-" + CSS.escape(qid) + " form.answer");
    document.getElementById("v-" + qid).value = keep.dataset.version;
    document.getElementById("c-" + qid).innerHTML = "";
    form.dataset.editKey = uuid();
    form.classList.remove("conflict");
    htmx.trigger(form, "retry");
  });

  function valueOf(qid) {
    var block = document.getElementById("q-" + qid);
    if (!block) return null;
    var checked = block.querySelectorAll('input[name="value"]:checked');
    return Array.prototype.map.call(checked, function (i) { return i.value; });
  }

  // the same rule as icc.framework.answers.applicable: shown when the parent is shown and its answer (any of the
  // options ticked, for a multiple-choice parent) is one of the listed options
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
