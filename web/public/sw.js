// Service worker of the page: keeps a copy of the page's own files so that it reloads and works
// offline after the first visit. Same-origin GET requests only: network first, the cached copy
// when the network is gone. Nothing is sent anywhere; no other origin is touched.
const CACHE = 'hrv-audio-page-v1';

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['./', './capture-worklet.js'])));
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// the page sends the files it loaded before this worker controlled it
self.addEventListener('message', (event) => {
  const urls = (event.data && event.data.cache) || [];
  const same = urls.filter((u) => new URL(u, self.location.href).origin === self.location.origin);
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(same))
      .then(() => event.source && event.source.postMessage({ cached: same.length })),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(() => caches.match(req, { ignoreSearch: true }).then((hit) => hit || Response.error())),
  );
});
