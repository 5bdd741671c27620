// The diagram viewer: a diagram's thumbnail (or its "Zoom and pan" link) opens a modal dialog
// that shows the SVG inline, so that each box's full name shows on hover, and zooms and pans
// it: + / − / 0 and the arrow keys, the buttons, the mouse wheel and dragging. Written for the
// Content-Security-Policy: no inline script or style attribute (the transform is set through
// the CSSOM), no eval, nothing from a CDN. Without JavaScript the link opens the SVG itself.
(() => {
  const MIN_SCALE = 0.05;
  const MAX_SCALE = 8;
  const STEP = 1.25; // one key press or button click
  const PAN = 80; // pixels per arrow key press
  const views = new WeakMap(); // dialog -> its view state

  function view(dialog) {
    let state = views.get(dialog);
    if (!state) {
      state = {
        stage: dialog.querySelector(".viewer-stage"),
        canvas: dialog.querySelector(".viewer-canvas"),
        output: dialog.querySelector(".viewer-scale"),
        width: 0,
        height: 0,
        scale: 1,
        x: 0,
        y: 0,
        loaded: null,
      };
      views.set(dialog, state);
    }
    return state;
  }

  function apply(state) {
    state.canvas.style.transform = `translate(${state.x}px, ${state.y}px) scale(${state.scale})`;
    if (state.output) state.output.value = `${Math.round(state.scale * 100)}%`;
  }

  function fit(state) {
    const box = state.stage.getBoundingClientRect();
    if (!state.width || !state.height || !box.width || !box.height) return;
    const scale = Math.min(box.width / state.width, box.height / state.height, 1) * 0.98;
    state.scale = Math.max(MIN_SCALE, scale);
    state.x = (box.width - state.width * state.scale) / 2;
    state.y = (box.height - state.height * state.scale) / 2;
    apply(state);
  }

  // Zoom by `factor` keeping the point (px, py) of the stage where it is.
  function zoom(state, factor, px, py) {
    const box = state.stage.getBoundingClientRect();
    const cx = px ?? box.width / 2;
    const cy = py ?? box.height / 2;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, state.scale * factor));
    state.x = cx - ((cx - state.x) * scale) / state.scale;
    state.y = cy - ((cy - state.y) * scale) / state.scale;
    state.scale = scale;
    apply(state);
  }

  function pan(state, dx, dy) {
    state.x += dx;
    state.y += dy;
    apply(state);
  }

  // The SVG's size in CSS pixels from its width/height in points (Graphviz writes "pt").
  function size(svg) {
    const points = (value) => {
      const number = parseFloat(value || "0");
      return /pt$/.test(value || "") ? (number * 4) / 3 : number;
    };
    let width = points(svg.getAttribute("width"));
    let height = points(svg.getAttribute("height"));
    const viewBox = svg.viewBox && svg.viewBox.baseVal;
    if ((!width || !height) && viewBox) {
      width = viewBox.width;
      height = viewBox.height;
    }
    return [width || 800, height || 600];
  }

  function showImage(state, src) {
    const img = document.createElement("img");
    img.alt = state.stage.getAttribute("aria-label") || "";
    img.src = src;
    state.canvas.replaceChildren(img);
    return img.decode().then(() => {
      state.width = img.naturalWidth;
      state.height = img.naturalHeight;
    });
  }

  // The SVG inline (its <title>s and link titles become tooltips); an <img> if it will not parse.
  function load(dialog, state) {
    if (!state.loaded) {
      const src = dialog.dataset.src;
      state.loaded = fetch(src, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.text();
        })
        .then((text) => {
          const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
          const svg = parsed.documentElement;
          if (svg.nodeName !== "svg" || parsed.querySelector("parsererror")) {
            return showImage(state, src);
          }
          [state.width, state.height] = size(svg);
          svg.setAttribute("width", String(state.width));
          svg.setAttribute("height", String(state.height));
          svg.setAttribute("focusable", "false");
          svg.setAttribute("aria-hidden", "true");
          state.canvas.replaceChildren(document.importNode(svg, true));
          return undefined;
        })
        .catch(() => showImage(state, src));
    }
    return state.loaded;
  }

  function open(dialog) {
    const state = view(dialog);
    if (!dialog.open) dialog.showModal();
    state.stage.focus();
    load(dialog, state).then(() => {
      fit(state);
      dialog.dataset.ready = "true"; // drawn and fitted (the browser test waits for it)
    });
  }

  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const opener = event.target.closest("a.diagram-open[data-viewer]");
    if (opener) {
      const dialog = document.getElementById(opener.dataset.viewer);
      if (dialog instanceof HTMLDialogElement && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        open(dialog);
      }
      return;
    }
    const dialog = event.target.closest("dialog.diagram-viewer");
    if (!dialog) return;
    const state = view(dialog);
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-close")) dialog.close();
    else if (button.dataset.zoom === "in") zoom(state, STEP);
    else if (button.dataset.zoom === "out") zoom(state, 1 / STEP);
    else if (button.dataset.zoom === "fit") fit(state);
  });

  document.addEventListener("keydown", (event) => {
    if (!(event.target instanceof Element) || event.ctrlKey || event.metaKey || event.altKey) return;
    const dialog = event.target.closest("dialog.diagram-viewer[open]");
    if (!dialog) return;
    const state = view(dialog);
    const moves = {
      ArrowLeft: [PAN, 0],
      ArrowRight: [-PAN, 0],
      ArrowUp: [0, PAN],
      ArrowDown: [0, -PAN],
    };
    if (event.key === "+" || event.key === "=") zoom(state, STEP);
    else if (event.key === "-" || event.key === "_" || event.key === "−") zoom(state, 1 / STEP);
    else if (event.key === "0") fit(state);
    else if (event.key in moves) pan(state, ...moves[event.key]);
    else return;
    event.preventDefault();
  });

  document.addEventListener(
    "wheel",
    (event) => {
      if (!(event.target instanceof Element)) return;
      const stage = event.target.closest(".diagram-viewer .viewer-stage");
      if (!stage) return;
      event.preventDefault();
      const state = view(stage.closest("dialog"));
      const box = stage.getBoundingClientRect();
      zoom(state, Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
    },
    { passive: false },
  );

  let drag = null; // {state, pointer, x, y} while a pointer drags a stage
  document.addEventListener("pointerdown", (event) => {
    if (!(event.target instanceof Element) || event.button !== 0) return;
    const stage = event.target.closest(".diagram-viewer .viewer-stage");
    if (!stage) return;
    const state = view(stage.closest("dialog"));
    drag = { state, pointer: event.pointerId, x: event.clientX, y: event.clientY };
    stage.setPointerCapture(event.pointerId);
    stage.classList.add("dragging");
  });
  document.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    pan(drag.state, event.clientX - drag.x, event.clientY - drag.y);
    drag.x = event.clientX;
    drag.y = event.clientY;
  });
  const stop = (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    drag.state.stage.classList.remove("dragging");
    drag = null;
  };
  document.addEventListener("pointerup", stop);
  document.addEventListener("pointercancel", stop);

  // A resized window fits the diagram to its new size.
  window.addEventListener("resize", () => {
    for (const dialog of document.querySelectorAll("dialog.diagram-viewer[open]")) fit(view(dialog));
  });
})();
