// Multi-class losses and metrics: an example is one row of C values (kernel/classification.ts:
// layouts). One file per concept, each with its kernels.

export { sparseSoftmaxCrossEntropy_f32, sparseSoftmaxCrossEntropy_f64, softmaxCrossEntropy_f32, softmaxCrossEntropy_f64 } from "./softmax";
export { sparseDenominator_f32, sparseDenominator_f64, denseDenominator_f32, denseDenominator_f64 } from "./denominators";
export { categoricalCrossEntropy_f32, categoricalCrossEntropy_f64, klDivergence_f32, klDivergence_f64 } from "./probability";
export {
  klDivergenceLogTarget_f32, klDivergenceLogTarget_f64, klDivergenceLogTargetLogits_f32, klDivergenceLogTargetLogits_f64,
} from "./klLogTarget";
export { categoricalHinge_f32, categoricalHinge_f64 } from "./margins";
export { categoricalAccuracy_f32, categoricalAccuracy_f64, topKAccuracy_f32, topKAccuracy_f64 } from "./metrics";
export { multiMargin_f32, multiMargin_f64 } from "./multiMargin";
export { multilabelSoftMargin_f32, multilabelSoftMargin_f64 } from "./multilabel";
export { nll_f32, nll_f64 } from "./nll";
export { sparseSoftmaxFocal_f32, sparseSoftmaxFocal_f64, softmaxFocal_f32, softmaxFocal_f64 } from "./focal";
export { sparseRowCount_f32, sparseRowCount_f64 } from "./denominators";
