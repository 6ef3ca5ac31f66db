// /m/ (the Mini Program's H5 build, pti_bridge/miniprogram.py): Taro's H5 runtime adds <style>
// elements from script (its router, its components, toasts). The page's Content-Security-Policy
// allows inline styles only with the request's nonce, which the server puts in
// <meta name="csp-nonce">; this stamps it on every <style> element a script creates, before the
// app's scripts run. A <style> smuggled in as markup (innerHTML, an injected tag) still has none
// and stays blocked; scripts themselves are 'self' only.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csp-nonce"]');
  var nonce = meta && meta.getAttribute("content");
  if (!nonce) return;
  var createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (tagName) {
    var element = createElement.apply(this, arguments);
    if (typeof tagName === "string" && tagName.toLowerCase() === "style") element.setAttribute("nonce", nonce);
    return element;
  };
})();
