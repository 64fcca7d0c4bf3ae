/* The questionnaire page: display logic, the at-most-N rule and the draft saved as one types. */
(function () {
  var form = document.getElementById("survey-form");
  function chosen(code, value) {
    return Array.prototype.some.call(form.querySelectorAll('[name="' + code + '"]'), function (el) {
      return el.checked && el.value === value && !el.disabled;
    });
  }
  // Display logic: a question with data-show-if="q14:1" shows only while q14 has option 1 chosen.
  function applyLogic() {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var parts = block.dataset.showIf.split(":");
      var visible = chosen(parts[0], parts[1]);
      block.hidden = !visible;
      block.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !visible; });
    });
  }
  // At most N choices for a multiple choice question.
  function applyMax() {
    form.querySelectorAll("[data-max]").forEach(function (group) {
      var boxes = group.querySelectorAll("input[type=checkbox]");
      var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      boxes.forEach(function (b) { if (!b.checked) { b.disabled = n >= parseInt(group.dataset.max, 10); } });
    });
  }
  var timer = null;
  function saveDraft() {
    if (!form.dataset.draftUrl) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(form.dataset.draftUrl, {method: "POST", body: new FormData(form), credentials: "same-origin"});
    }, 600);
  }
  form.addEventListener("change", function () { applyLogic(); applyMax(); saveDraft(); });
  form.addEventListener("input", saveDraft);
  applyLogic(); applyMax();
})();
