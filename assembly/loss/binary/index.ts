// Binary classification losses and the binary accuracy metric, elementwise (kernel/elementwise.ts):
// one file per concept, each with its kernels.

export { binaryCrossEntropy_f32, binaryCrossEntropy_f64 } from "./probability";
export { binaryCrossEntropyWithLogits_f32, binaryCrossEntropyWithLogits_f64 } from "./logits";
export { binaryFocal_f32, binaryFocal_f64 } from "./focal";
export { hinge_f32, hinge_f64, squaredHinge_f32, squaredHinge_f64 } from "./margins";
export { binaryAccuracy_f32, binaryAccuracy_f64 } from "./accuracy";
