"""The screens under the gear (§2.4, §3.3): the tabs Algemeen, Facturatie and Organisaties."""
