// The SPARQL page: YASGUI (served locally) on /sparql; the plain form stays as the no-script fallback.
(function () {
  const host = document.getElementById("yasgui");
  if (!host || typeof Yasgui === "undefined") return;
  const endpoint = new URL(host.dataset.endpoint, window.location.href).href;
  const form = document.getElementById("formulaire");
  const initial = document.getElementById("query").value;
  // no remote autocompletion (it would call third-party services): prefixes and variables only
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: null,
  });
  form.hidden = true;
  const tab = () => yasgui.getTab();
  if (initial) tab().setQuery(initial);
  document.querySelectorAll("a.example").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      tab().setQuery(document.getElementById("q-" + link.dataset.name).content.textContent);
      tab().query();
      host.scrollIntoView({ behavior: "smooth" });
    });
  });
  window.pcsYasgui = yasgui;
})();
