// Preloaded into Electronegativity (NODE_OPTIONS=--import): it fetches its translations
// and Electron's release list from GitHub with got 11, which this machine cannot reach,
// and on Node 24 got's retry timer then throws after its own timeout and kills the scan.
// Offline is the truth here, so every got request fails at once instead.
import Module from 'node:module';

const load = Module._load;
Module._load = function loadWithOfflineGot(request, parent, isMain) {
  if (request !== 'got') return load.call(this, request, parent, isMain);
  const offline = () => Promise.reject(new Error('offline: Cordon runs Electronegativity without network access'));
  offline.head = offline;
  return offline;
};
