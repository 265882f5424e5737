// A form with data-confirm="…" asks before it is sent (submitting, withdrawing, finishing a review: state changes
// the person cannot undo alone). Without JavaScript the form is sent as it is; the server re-checks the state.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);
})();
