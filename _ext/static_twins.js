/* Static twins of the live explorers (see _ext/static_twins.py): range inputs that swap frames
 * precomputed at build time. Frame k of a twin is `${data-base}f${k}.png` (three digits), k the
 * row-major index of the sliders' positions. A frame is fetched only when shown; once the reader
 * moves a slider, the frames one step away are fetched too, so the next move is instant.
 * A twin with play and step buttons animates its first slider. The readouts are not live regions
 * and the play button has no pressed state: its name, "play" or "pause", says what it does. */
"use strict";

(function () {
  // Pause between animation frames, once a frame has loaded; four times as long for a reader
  // who asks for less motion (play still only starts when they press it).
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const FRAME_MS = reducedMotion ? 600 : 150;

  function setUp(figure) {
    const img = figure.querySelector("img.static-twin-frame");
    const inputs = Array.from(figure.querySelectorAll('input[type="range"]'));
    const values = inputs.map((input) => JSON.parse(input.dataset.values));
    const playButton = figure.querySelector("button[data-play]");
    const fetched = new Set([img.src]);
    let touched = false; // neighbours are prefetched only after the reader moves something
    let playing = false;

    const frameUrl = (positions) => {
      let index = 0;
      positions.forEach((p, i) => (index = index * values[i].length + p));
      const url = figure.dataset.base + "f" + String(index).padStart(3, "0") + ".png";
      return new URL(url, document.baseURI).href;
    };
    const positions = () => inputs.map((input) => Number(input.value));

    function prefetchNeighbours() {
      const here = positions();
      here.forEach((p, i) => {
        for (const q of [p - 1, p + 1]) {
          if (q < 0 || q >= values[i].length) continue;
          const url = frameUrl(here.map((r, j) => (j === i ? q : r)));
          if (!fetched.has(url)) {
            fetched.add(url);
            new Image().src = url;
          }
        }
      });
    }

    function show() {
      const here = positions();
      const described = [];
      inputs.forEach((input, i) => {
        const text = values[i][here[i]];
        input.setAttribute("aria-valuetext", text);
        input.parentElement.querySelector("output").textContent = text;
        described.push(input.labels[0].textContent + " = " + text);
      });
      img.alt = figure.dataset.description + " Shown for " + described.join(", ") + ".";
      const url = frameUrl(here);
      if (img.src !== url) {
        figure.classList.add("static-twin-loading");
        fetched.add(url);
        img.src = url;
      }
    }

    function setPlaying(on) {
      playing = on;
      if (!playButton) return;
      // The CSS shows "play" or "pause": the button's name is what pressing it does.
      playButton.dataset.playing = String(on);
    }

    function step(delta) {
      const input = inputs[0];
      const next = Number(input.value) + delta;
      if (next < 0 || next > Number(input.max)) return false;
      input.value = String(next);
      touched = true;
      show();
      return true;
    }

    function tick() {
      if (playing && !step(1)) setPlaying(false);
    }

    img.addEventListener("load", () => {
      figure.classList.remove("static-twin-loading");
      if (playing) window.setTimeout(tick, FRAME_MS);
      else if (touched) prefetchNeighbours();
    });
    img.addEventListener("error", () => {
      figure.classList.remove("static-twin-loading");
      setPlaying(false);
    });
    inputs.forEach((input) =>
      input.addEventListener("input", () => {
        touched = true;
        setPlaying(false);
        show();
      })
    );
    figure.querySelectorAll("button[data-step]").forEach((button) =>
      button.addEventListener("click", () => {
        setPlaying(false);
        step(Number(button.dataset.step));
      })
    );
    if (playButton) {
      playButton.addEventListener("click", () => {
        if (playing) return setPlaying(false);
        setPlaying(true);
        const input = inputs[0];
        if (Number(input.value) === Number(input.max)) {
          input.value = "0"; // replay from the start
          show();
        } else {
          window.setTimeout(tick, FRAME_MS);
        }
      });
    }
    // The controls work: show them (their box was reserved, so nothing on the page moves).
    figure.querySelector(".static-twin-controls").classList.remove("static-twin-pending");
  }

  function setUpAll() {
    document.querySelectorAll("figure.static-twin").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
