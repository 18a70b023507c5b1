// Small progressive enhancements; every page works without this file. Templates carry no inline handlers or
// scripts (so a Content-Security-Policy without 'unsafe-inline' is possible): behaviour is attached here by
// event delegation on data-* attributes.
"use strict";

document.addEventListener("htmx:responseError", () => {
  const box = document.getElementById("bm-htmx-fout");
  if (box) {
    box.hidden = false;
  }
});

// --- Pop-ups (templates/gebruikers/mutaties/dialog.html) ---------------------------------------------------
// A <dialog class="bm-popup"> loaded by htmx opens itself (only one at a time), closes on the server's
// "bm-popup-sluiten" trigger or on any [data-bm-close] element inside it, and removes itself once closed.
// Keyboard use: the element that asked for the pop-up is remembered, and focus returns to it on closing (or,
// when it is gone or hidden — the '3 puntjes' menu closed, the details reloaded — to what stands in for it).
let popupAanvrager = null;
document.addEventListener("htmx:beforeRequest", (event) => {
  if (!event.target.closest("dialog")) popupAanvrager = event.target;
});

function focusTerug(opener) {
  if (!opener) return;
  let doel = opener;
  if (!doel.isConnected && doel.getAttribute("href")) {
    doel = document.querySelector(`a[href="${CSS.escape(doel.getAttribute("href"))}"]`) || doel;
  }
  const menu = doel.isConnected ? doel.closest("details:not([open])") : null;
  if (menu) doel = menu.querySelector(":scope > summary");
  if (doel && doel.isConnected) doel.focus();
}

document.addEventListener("htmx:load", (event) => {
  const popup = event.detail.elt;
  if (popup instanceof HTMLDialogElement && popup.matches(".bm-popup")) {
    document.querySelectorAll("dialog.bm-popup").forEach((ander) => {
      if (ander !== popup) ander.remove();
    });
    popup.bmOpener = popupAanvrager;
    if (!popup.open) popup.showModal();
  }
});

document.addEventListener("bm-popup-sluiten", (event) => {
  const popup = event.target instanceof Element ? event.target.closest("dialog.bm-popup") : null;
  const popups = popup ? [popup] : document.querySelectorAll("dialog.bm-popup[open]");
  popups.forEach((d) => d.close());
});

// "close" does not bubble; listen in the capture phase.
document.addEventListener(
  "close",
  (event) => {
    if (event.target instanceof HTMLDialogElement && event.target.matches(".bm-popup")) {
      event.target.remove();
      focusTerug(event.target.bmOpener);
    }
  },
  true,
);

document.addEventListener("click", (event) => {
  // [data-bm-close]: Annuleer / × in a pop-up closes it; outside a pop-up a link simply navigates.
  const sluit = event.target.closest("[data-bm-close]");
  if (sluit) {
    const popup = sluit.closest("dialog");
    if (popup) {
      event.preventDefault();
      popup.close();
    }
    return;
  }
  // Gebruikers: an action chosen in the '3 puntjes' menu opens its pop-up; the menu itself closes.
  const keuze = event.target.closest("details.bm-meer a");
  if (keuze) {
    keuze.closest("details.bm-meer").open = false;
  }
});

// --- <details> that load on opening (templates/gebruikers/_rijen.html) ------------------------------------
// hx-trigger="toggle[this.open]" would need htmx's eval (CSP 'unsafe-eval'); instead a <details> that opens
// gets the plain event "bm-open" (hx-trigger="bm-open"). "toggle" does not bubble; listen in the capture phase.
document.addEventListener(
  "toggle",
  (event) => {
    if (event.target instanceof HTMLDetailsElement && event.target.open) {
      event.target.dispatchEvent(new CustomEvent("bm-open"));
    }
  },
  true,
);

// --- Form behaviour on change ------------------------------------------------------------------------------
document.addEventListener("change", (event) => {
  const veld = event.target;
  if (!(veld instanceof HTMLInputElement || veld instanceof HTMLSelectElement)) return;
  const form = veld.form;

  // [data-bm-submit-on-change]: e.g. the organisation switch sends its form as soon as one is chosen.
  if (veld.matches("[data-bm-submit-on-change]") && form) {
    form.requestSubmit();
    return;
  }
  // [data-bm-select-all="name"]: a checkbox that (un)checks every checkbox of that name in its form.
  if (veld.dataset.bmSelectAll && form) {
    form.querySelectorAll(`input[type=checkbox][name="${veld.dataset.bmSelectAll}"]`).forEach((c) => {
      c.checked = veld.checked;
    });
    return;
  }
  // A checkbox of such a group, unchecked, unchecks its "select all".
  if (veld.type === "checkbox" && !veld.checked && form) {
    form.querySelectorAll(`input[data-bm-select-all="${veld.name}"]`).forEach((alles) => {
      alles.checked = false;
    });
  }
  // [data-bm-sets="name=value"]: choosing this option also chooses another field's value
  // (a Belastingdienstmiddel is always for a gebruiker, never a beheerder).
  if (veld.dataset.bmSets && veld.checked && form) {
    const [naam, waarde] = veld.dataset.bmSets.split("=");
    const ander = form.elements.namedItem(naam);
    if (ander) ander.value = waarde;
  }
});

// --- Machtigingen: R35 "intrekken" waits 3 seconds, with "Ongedaan maken", before it asks the server ----------
const INTREKKEN_VENSTER_MS = 3000;

function intrekkenHerstel(rij) {
  rij.hidden = false;
  rij.classList.remove("bm-machtiging--intrekken");
  rij.querySelector("[data-bm-intrekken-venster]").hidden = true;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-bm-intrekken]");
  if (link && window.htmx) {
    event.preventDefault();
    const rij = link.closest("[data-bm-machtiging]");
    const venster = rij.querySelector("[data-bm-intrekken-venster]");
    rij.classList.add("bm-machtiging--intrekken");
    venster.hidden = false;
    venster.querySelector("[data-bm-ongedaan]").focus();
    rij.bmTimer = window.setTimeout(() => {
      rij.bmTimer = null;
      rij.hidden = true; // gone from the list at once; the details reload confirms it
      const klaar = (e) => {
        if (e.target !== rij) return;
        rij.removeEventListener("htmx:afterRequest", klaar);
        if (e.detail.successful) return;
        // Not revoked (or already gone): show the row again and reload the details to show the truth.
        intrekkenHerstel(rij);
        const sectie = rij.closest("[data-bm-ververs]");
        if (sectie) window.htmx.trigger(document.body, sectie.dataset.bmVervers);
      };
      rij.addEventListener("htmx:afterRequest", klaar);
      window.htmx.ajax("POST", link.href, { source: rij, swap: "none" });
    }, INTREKKEN_VENSTER_MS);
    return;
  }
  const knop = event.target.closest("[data-bm-ongedaan]");
  if (knop) {
    const rij = knop.closest("[data-bm-machtiging]");
    window.clearTimeout(rij.bmTimer);
    rij.bmTimer = null;
    intrekkenHerstel(rij);
    rij.querySelector("a[data-bm-intrekken]").focus();
  }
});

// --- Rubriek instellingen ---
// [data-bm-auto-download]: after "Download contract en voeg organisatie toe" the contract downloads by itself
// once; the link stays for a second copy (and is all there is without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("a[data-bm-auto-download]");
  if (link && !sessionStorage.getItem(`bm-download:${link.href}`)) {
    sessionStorage.setItem(`bm-download:${link.href}`, "1");
    link.click();
  }
});
