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
  // Taro's components (Stencil) create their elements with createElementNS(HTML namespace, ...):
  // the Swiper's own <style> comes this way.
  var createElementNS = Document.prototype.createElementNS;
  Document.prototype.createElementNS = function (namespace, qualifiedName) {
    var element = createElementNS.apply(this, arguments);
    if (
      namespace === "http://www.w3.org/1999/xhtml" &&
      typeof qualifiedName === "string" &&
      qualifiedName.toLowerCase() === "style"
    ) {
      element.setAttribute("nonce", nonce);
    }
    return element;
  };
  // Taro's H5 toast, loading and modal set inline styles with setAttribute("style", ...), which
  // the policy blocks (they showed unstyled); the same declarations through the element's style
  // object (CSSOM) are allowed, as React's style props are. Markup with style="" stays blocked.
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (typeof name === "string" && name.toLowerCase() === "style" && this.style) {
      this.style.cssText = String(value);
      return;
    }
    return setAttribute.apply(this, arguments);
  };
})();
