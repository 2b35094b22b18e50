/**
 * Offline after the first load (built page only): register public/sw.js, then hand it the URLs
 * this page has loaded so far (the page, scripts, styles, the analysis worker) to keep.
 * Sets <html data-offline="ready"> once they are cached.
 */
export async function enableOffline(extraUrls: readonly string[]): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.register(new URL('sw.js', document.baseURI).href);
  await navigator.serviceWorker.ready;
  const worker = reg.active;
  if (!worker) return;
  const loaded = performance.getEntriesByType('resource').map((e) => e.name);
  const urls = [...new Set([document.baseURI, ...loaded, ...extraUrls.map((u) => new URL(u, document.baseURI).href)])].filter((u) => u.startsWith(location.origin));
  navigator.serviceWorker.addEventListener('message', (e: MessageEvent<{ cached?: number }>) => {
    if (typeof e.data?.cached === 'number') document.documentElement.dataset['offline'] = 'ready';
  });
  worker.postMessage({ cache: urls });
}
