// Progressive enhancement: the cancelled toggle applies at once, and the pickers submit when changed.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("show-cancelled");
  const calendar = document.getElementById("calendar");
  if (toggle && calendar) {
    toggle.addEventListener("change", () => {
      calendar.classList.toggle("hide-released", !toggle.checked);
    });
  }
  for (const select of document.querySelectorAll("form.pickers select")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
