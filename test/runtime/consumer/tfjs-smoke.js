// simdloss/tfjs in a runtime, given TensorFlow.js (tfjs-core with a backend), the main entry and
// the bridge: the bridge's loss and gradient bit for bit those of the array call, TensorFlow.js's
// own loss within its float32 bound, a few SGD steps through optimizer.minimize, and refusals that
// are the main entry's SimdlossError.
const U = 2 ** -24;

export async function tfjsSmoke(tf, lib, bridge) {
  const failures = [];
  const check = (what, ok) => {
    if (!ok) failures.push(what);
  };
  const values = {};
  const y = tf.tensor2d([0, 1, 0, 1, 0, 0, 0, 0, 1], [3, 3]);
  const z = tf.tensor2d([1, 2, 0.5, 0.3, -1, 2, -0.5, 0.25, 1.5], [3, 3]);
  const loss = bridge.tfLoss(lib.softmaxCrossEntropy, { labelSmoothing: 0.1 });
  const { value, grad } = tf.valueAndGrad((p) => loss(y, p))(z);
  const want = lib.softmaxCrossEntropy.withGrad(y.dataSync(), z.dataSync(), { classes: 3, labelSmoothing: 0.1 });
  values.softmax = [value.dataSync()[0], ...grad.dataSync()];
  check('softmaxCrossEntropy: the loss of the array call', value.dataSync()[0] === Math.fround(want.loss));
  check(
    'softmaxCrossEntropy: the gradient of the array call',
    grad.dataSync().every((g, i) => g === want.grad[i]),
  );
  // TensorFlow.js's float32 loss: within (n + 12)·u·A, A = 2·max|z| + log C + 1 (test/unit/tfjs-training.test.ts)
  const theirs = tf.losses.softmaxCrossEntropy(y, z, undefined, 0.1).dataSync()[0];
  check('softmaxCrossEntropy: tf.losses.softmaxCrossEntropy', Math.abs(theirs - value.dataSync()[0]) <= 21 * U * (5 + Math.log(3)));

  const labels = tf.tensor1d([1, 2, 2], 'int32');
  const sparse = bridge.tfLoss(lib.sparseSoftmaxCrossEntropy)(labels, z).dataSync()[0];
  check(
    'sparseSoftmaxCrossEntropy from int32 labels',
    sparse === Math.fround(lib.sparseSoftmaxCrossEntropy(Int32Array.of(1, 2, 2), z.dataSync(), { classes: 3 })),
  );
  values.sparse = sparse;
  values.metric = bridge.tfMetric(lib.sparseCategoricalAccuracy)(labels, z).dataSync()[0];
  check('sparseCategoricalAccuracy through tfMetric', values.metric === 1);

  // a logistic model trained by SGD through optimizer.minimize: the loss falls
  const x = tf.tensor2d([1, 2, -1, 0.5, 0.3, -2, 2, 1, -1.5, -0.5], [5, 2]);
  const t = tf.tensor2d([1, 0, 1, 1, 0], [5, 1]);
  const w = tf.variable(tf.zeros([2, 1]));
  const bce = bridge.tfLoss(lib.binaryCrossEntropyWithLogits);
  const sgd = tf.train.sgd(0.5);
  values.training = [];
  for (let step = 0; step < 5; step++) values.training.push(sgd.minimize(() => bce(t, tf.matMul(x, w)), true).dataSync()[0]);
  check('SGD through the bridge lowers the loss', values.training[4] < values.training[0]);
  values.weights = Array.from(w.dataSync());

  try {
    bridge.tfLoss(lib.mse)(tf.zeros([2]), tf.zeros([3]));
    failures.push('a size mismatch is refused');
  } catch (e) {
    check(`the refusal is the main entry's SimdlossError naming yTrue (${e})`, e instanceof lib.SimdlossError && e.argument === 'yTrue');
  }
  return { failures, values };
}
