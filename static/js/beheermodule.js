// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("bm-htmx-fout");
  if (box) {
    box.hidden = false;
  }
});

// Gebruikers: an action chosen in the '3 puntjes' menu opens its pop-up; the menu itself closes.
document.addEventListener("click", (event) => {
  const keuze = event.target.closest("details.bm-meer a");
  if (keuze) {
    keuze.closest("details.bm-meer").open = false;
  }
});
