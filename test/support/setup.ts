import '../../shared/runtime/polyfills.js';
