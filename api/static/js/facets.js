// Comfort only: apply a facet as soon as its box is ticked (the form works without this script).
document.querySelectorAll(".facets input[type=checkbox]").forEach((box) => {
  box.addEventListener("change", () => {
    const form = box.form;
    form.querySelectorAll("input[name=page]").forEach((p) => p.remove());
    form.submit();
  });
});
