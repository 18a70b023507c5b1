// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("bm-htmx-fout");
  if (box) {
    box.hidden = false;
  }
});
