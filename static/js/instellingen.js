// Rubriek instellingen: behaviour bound by data-bm-* attributes (no inline handlers; see beheermodule.js).
