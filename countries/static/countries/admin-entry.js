/*
 * The country form: suggests the UN M49 sub-region when an ISO code is chosen, if the region
 * is still empty (an editor's own choice is never replaced).
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var region = document.getElementById("id_region");
    var code = document.getElementById("id_iso_code");
    if (!region || !code || !region.dataset.regionOfCountry) return;
    var regions = JSON.parse(region.dataset.regionOfCountry);
    code.addEventListener("change", function () {
      var suggested = regions[code.value];
      if (suggested && !region.value) region.value = suggested;
    });
  });
})();
