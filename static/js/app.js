// The page's few behaviours, as listeners (the Content-Security-Policy allows no inline script
// and no inline event handler).

// A share link's address is selected when its field gets the focus, ready to copy.
document.addEventListener("focusin", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.classList.contains("share-url")) {
    event.target.select();
  }
});

// A milestone's diagram or cost that its reader may not load (404, or the sign-in page)
// removes its loader rather than load forever.
document.addEventListener("htmx:responseError", (event) => {
  const loader = event.detail.elt;
  if (loader instanceof Element && loader.closest(".milestone-products")) {
    loader.remove();
  }
});
