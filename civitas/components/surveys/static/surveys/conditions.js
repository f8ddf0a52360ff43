// Display conditions: show a question only when an earlier answer is (or is not) an option.
// Without JavaScript every question shows with its condition written out; the server
// ignores answers to questions whose condition is not met.
(function () {
  "use strict";
  function chosen(questionKey, optionKey) {
    var inputs = document.querySelectorAll('input[name="' + questionKey + '"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === optionKey && inputs[i].checked) return true;
    }
    return false;
  }
  function update() {
    var questions = document.querySelectorAll("[data-condition-question]");
    for (var i = 0; i < questions.length; i++) {
      var q = questions[i];
      var shown = chosen(q.dataset.conditionQuestion, q.dataset.conditionOption);
      if (q.dataset.conditionNegated) shown = !shown;
      q.hidden = !shown;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".survey-form");
    if (!form) return;
    form.addEventListener("change", update);
    update();
  });
})();
