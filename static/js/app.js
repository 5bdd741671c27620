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

// A share link's "Copy" button copies the address of its field, and says so for a moment.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest(".copy-button") : null;
  if (!(button instanceof HTMLButtonElement)) {
    return;
  }
  const field = document.getElementById(button.dataset.copyFrom || "");
  if (!(field instanceof HTMLInputElement)) {
    return;
  }
  const done = () => {
    const label = button.textContent;
    button.textContent = "Copied ✓";
    window.setTimeout(() => { button.textContent = label; }, 2000);
  };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => {
      document.execCommand("copy");
      done();
    });
  } else {
    document.execCommand("copy");
    done();
  }
});
