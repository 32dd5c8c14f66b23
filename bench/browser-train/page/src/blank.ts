// An empty cross-origin isolated page: the renderer's own memory, the baseline for the peers' pages.
window.__trainBlank = true;
document.title = 'blank ready';
