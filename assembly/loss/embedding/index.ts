// Embedding losses over batches of rows of `dim` values: contrastive, triplet, cosine embedding,
// one file per loss with its kernels; rows.ts holds what their row loops share.
//
// Kernel ABI (one export per loss and dtype):
//   contrastive, cosineEmbedding: (rows, dim, label, a, b, weights, losses, ga, gb, scale, margin, mode) → i32
//   triplet:                      (rows, dim, anchor, positive, negative, weights, losses, ga, gp, gn, scale, margin, mode) → i32
// byte offsets into wasm memory; `mode` a set of MODE_* bits. Returns -1, or the first row whose
// label is outside the domain (the label itself is left at RESULT_SUM2). Σ wᵢ·lᵢ is left at RESULT_SUM.

export { contrastive_f32, contrastive_f64 } from "./contrastive";
export { triplet_f32, triplet_f64 } from "./triplet";
export { cosineEmbedding_f32, cosineEmbedding_f64 } from "./cosine";
