export { BACKEND_NAMES, BACKEND_PACKAGES, type BackendName, parseBackendName, isNode } from './names';
export { registerGradients } from './gradients';
export { readyBackend, activeBackend, defaultBackend, type BackendInfo, type ReadyOptions } from './ready';
