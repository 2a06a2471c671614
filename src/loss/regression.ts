/** Regression losses on the residual r = pred − target (kernels: assembly/loss/regression.ts). */
import { elementwise } from '../core/elementwise.js';

/** Mean squared error: (y − ŷ)². Gradient 2(ŷ − y). */
export const mse = elementwise({ name: 'mse', kernel: 'mse', options: [], params: () => [0, 0] });

/** Mean absolute error: |y − ŷ|. Gradient sign(ŷ − y), 0 where ŷ = y (PyTorch's subgradient). */
export const mae = elementwise({ name: 'mae', kernel: 'mae', options: [], params: () => [0, 0] });

/** Huber: ½r² where |r| ≤ δ, else δ(|r| − ½δ). Gradient clamp(r, −δ, δ). */
export const huber = elementwise<{ delta?: number }>({
  name: 'huber',
  kernel: 'huber',
  options: [{ name: 'delta', default: 1, min: 0, minOpen: true }],
  params: ([delta]) => [delta!, 1],
});

/** Smooth L1 (PyTorch): huber with δ = β, divided by β: ½r²/β where |r| ≤ β, else |r| − ½β. */
export const smoothL1 = elementwise<{ beta?: number }>({
  name: 'smoothL1',
  kernel: 'huber',
  options: [{ name: 'beta', default: 1, min: 0, minOpen: true }],
  params: ([beta]) => [beta!, 1 / beta!],
});

/**
 * Log-cosh: ln cosh(ŷ − y), ≈ r²/2 near 0 and |r| − ln 2 far out (finite for any finite residual).
 * Gradient tanh(ŷ − y). Accurate to ~0.5 ulp in float32 (computed in float64 lanes).
 */
export const logCosh = elementwise({ name: 'logCosh', kernel: 'logCosh', options: [], params: () => [0, 0] });
