// The lecture's first three models on the GPU, as the README shows them:
//
//   npm run example
//
// 1. Linear regression on the five houses (land area, bedrooms → price), checked against the
//    normal equation. 2. Logistic regression on 2-D points, with its decision boundary.
// 3. Softmax regression on three classes. Runs in Node on Dawn (a GPU, or SwiftShader).

import {
  DivergenceError, HOUSES, LinearRegression, LogisticRegression, SoftmaxRegression, createContext, reference,
} from '../src/index.js';

const fmt = (a: ArrayLike<number>, digits = 4) => `[${Array.from(a, (v) => v.toFixed(digits)).join(', ')}]`;

export async function main(): Promise<number> {
  const ctx = await createContext();
  console.log(`adapter: ${ctx.adapter.description || ctx.adapter.vendor}${ctx.adapter.isFallbackAdapter ? ' (software fallback)' : ''}\n`);

  // 1. House prices. Features are normalised on the GPU; the model keeps μ and σ.
  const houses = new LinearRegression(ctx);
  const fit = await houses.fit(HOUSES.x, HOUSES.y, {
    learningRate: 0.3,
    epochs: 400,
    onEpoch: ({ epoch, cost }) => epoch % 100 === 0 && console.log(`  epoch ${epoch}: J/m = ${cost.toFixed(2)}`),
  });
  const theta = await houses.getRawTheta(); // θ for raw inputs: price = θ₀ + θ₁·area + θ₂·bedrooms
  const normal = reference.normalEquation(reference.designMatrix(reference.hostMatrix(5, 2, HOUSES.x.flat())), HOUSES.y);
  console.log(`houses: ${fit.epochs} epochs of batch gradient descent, J/m = ${fit.history.at(-1)!.cost.toFixed(3)}`);
  console.log(`  θ (gradient descent) = ${fmt(theta)}`);
  console.log(`  θ (normal equation)  = ${fmt(normal)}`);
  console.log(`  price of 2000 m², 3 bedrooms: ${(await houses.predict([[2000, 3]]))[0]!.toFixed(1)} k€`);
  console.log(`  cost: ${JSON.stringify(await houses.cost(HOUSES.x, HOUSES.y))}`);

  // Without normalisation any useful α overshoots: training stops and says so.
  const raw = new LinearRegression(ctx, { normalize: false });
  try {
    await raw.fit(HOUSES.x, HOUSES.y, { learningRate: 0.01 });
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    console.log(`  unnormalised: ${e.message}`);
  }

  // 2. Logistic regression on 2-D points (admitted or not, from two exam scores).
  const exams = [[34, 78], [30, 43], [35, 72], [60, 86], [79, 75], [45, 56], [61, 96], [75, 46], [76, 87], [84, 43], [95, 38], [75, 30], [39, 76], [50, 49], [90, 88]];
  const admitted = [0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1];
  const logistic = new LogisticRegression(ctx);
  const lr = await logistic.fit(exams, admitted, { learningRate: 1, epochs: 300, lambda: 0.1 });
  const boundary = await logistic.decisionBoundary();
  console.log(`\nlogistic: training accuracy ${lr.history.at(-1)!.accuracy}, J/m = ${lr.history.at(-1)!.cost.toFixed(4)}`);
  console.log(`  boundary θ (raw units) = ${fmt(boundary.theta)}; at score 1 = 50, score 2 = ${boundary.x2(50).toFixed(1)}`);
  console.log(`  P(admit | 45, 85) = ${(await logistic.predictProbability([[45, 85]]))[0]!.toFixed(3)}`);

  // 3. Softmax regression, three classes, mini-batches with Adam.
  const points = [[1, 1], [2, 1], [1, 2], [6, 5], [7, 6], [6, 7], [1, 6], [2, 7], [1, 8]];
  const classes = [0, 0, 0, 1, 1, 1, 2, 2, 2];
  const softmax = new SoftmaxRegression(ctx, { classes: 3 });
  const sr = await softmax.fit(points, classes, { optimizer: 'adam', learningRate: 0.1, batchSize: 3, epochs: 100, seed: 1 });
  console.log(`\nsoftmax: accuracy ${sr.history.at(-1)!.accuracy}, predictions ${Array.from(await softmax.predict([[1.5, 1.5], [6.5, 6], [1.5, 7]]))}`);
  console.log(`  saved: ${JSON.stringify(await softmax.toJSON()).slice(0, 96)}…`);

  ctx.destroy();
  return 0;
}
