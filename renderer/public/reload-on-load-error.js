// Before the app: if the page's own code fails to load while it starts (the entry module, one of its static imports,
// their preloads or the stylesheet) — as when the browser aborts requests with net::ERR_NETWORK_CHANGED because a
// node's bridge or veth appeared on this machine — the page reloads itself once instead of staying blank. Once the
// entry module runs (main.ts marks the page booted) this stands aside: parts loaded later retry on their own. At most
// one reload in 30 s, so a UI that cannot load at all shows the browser's error rather than reloading forever.
// A classic script (not bundled), allowed by the page's CSP (script-src 'self').
(function () {
  var KEY = 'flotilla-reloaded-at';
  window.addEventListener('error', function (e) {
    var el = e.target;
    if (document.documentElement.hasAttribute('data-booted') || !el || !el.tagName) return;
    if (el.tagName !== 'SCRIPT' && !(el.tagName === 'LINK' && /(^|\s)(modulepreload|stylesheet)(\s|$)/.test(el.rel || ''))) return;
    var last = Number(sessionStorage.getItem(KEY) || 0);
    if (Date.now() - last < 30000) return;
    sessionStorage.setItem(KEY, String(Date.now()));
    location.reload();
  }, true);
})();
