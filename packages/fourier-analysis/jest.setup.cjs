// tfjs prints a "use tfjs-node" hint on a backend's first use in Node unless IS_TEST is set; tests don't need it.
require('@tensorflow/tfjs-core').env().set('IS_TEST', true);
