// The one place tfjs is imported from: core + layers + the cpu backend, without the browser-only
// webgl backend that '@tensorflow/tfjs' would drag in.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';

export { tf, tfl };
