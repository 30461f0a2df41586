/* The book's in-browser explorers: a 2-D linear classifier trained in the page (issue 13).
 *
 * One classic script, no dependencies, no network; works from file://. It defines
 * HingeExplorer on globalThis (and module.exports under Node). The maths (top half) is plain
 * functions on arrays and runs in Node; only mountAll() and the Explorer class touch the DOM.
 *
 * The objective is hingelib's (hingelib/train.py, hingelib/solve.py):
 *   J(w, b) = lambda / 2 ||w||^2 + mean_i loss(m_i),   m_i = y_i (w . x_i + b),
 * the bias not decayed. trainLinear matches fit_linear step for step (torch's gradient choices
 * included); solveLinear ports solve_linear (damped Newton, certified by dualityGap).
 */
(function (root) {
"use strict";

var LOSSES = ["hinge", "squared_hinge", "logistic"];
var LOSS_LABELS = { hinge: "hinge", squared_hinge: "squared hinge", logistic: "logistic" };
var RANGES = {
  delta: [0.1, 3],
  lambda: [1e-4, 1],
  lr: [1e-3, 1],
};
var SOFTPLUS_THRESHOLD = 20; // torch's F.softplus returns x itself once x > 20
var SUPPORT_TOL = 1e-3; // hingelib's support_vectors tolerance
var CONVERGED = 1e-6; // the UI calls a fit converged once its gap <= 1e-6 J
var RISE_TOL = 0.05; // descent "overshoots" once J rises 5% above its lowest so far
// solve.py's constants: widths the hinge's gap tries (1 ... 1e-12), Newton's limits
var WIDTHS = [];
for (var k = 0; k < 25; k++) WIDTHS.push(Math.pow(10, -k / 2));
var FIRST_MU = 1.0,
  MIN_MU = 1e-13,
  MAX_STEPS = 300,
  LINE_SEARCH_TRIES = 8;

/* ------------------------------------------------------------------ checks */

function fail(message) {
  throw new Error("HingeExplorer: " + message);
}

function checkChoice(name, value, allowed) {
  if (allowed.indexOf(value) < 0)
    fail(name + " must be one of " + allowed.join(", ") + ", got " + JSON.stringify(value));
  return value;
}

function checkNumber(name, value, range) {
  if (typeof value !== "number" || !isFinite(value) || value < range[0] || value > range[1])
    fail(name + " must be a number from " + range[0] + " to " + range[1] + ", got " + value);
  return value;
}

/** Points [[x1, x2, y], ...], y in {-1, +1}, finite, with both classes present. */
function checkPoints(points) {
  if (!Array.isArray(points) || points.length < 2)
    fail("points must be an array of at least 2 points [x1, x2, y]");
  var classes = { 1: 0, "-1": 0 };
  points.forEach(function (p, i) {
    var ok = Array.isArray(p) && p.length === 3 && isFinite(p[0]) && isFinite(p[1]);
    if (!ok || typeof p[0] !== "number" || typeof p[1] !== "number" || (p[2] !== 1 && p[2] !== -1))
      fail("point " + i + " must be [x1, x2, y] with finite x1, x2 and y = 1 or -1, got " + JSON.stringify(p));
    classes[p[2]] += 1;
  });
  if (!classes[1] || !classes[-1])
    fail("points need both classes (y = 1 and y = -1): a linear classifier needs two sides");
  return points;
}

/** The data as columns: Z rows z_i = y_i (x_i1, x_i2, 1), so that m_i = z_i . (w1, w2, b). */
function makeProblem(opts, needsLambda) {
  var points = checkPoints(opts.points);
  var n = points.length,
    z1 = new Float64Array(n),
    z2 = new Float64Array(n),
    y = new Float64Array(n);
  for (var i = 0; i < n; i++) {
    y[i] = points[i][2];
    z1[i] = y[i] * points[i][0];
    z2[i] = y[i] * points[i][1];
  }
  var lam = opts.lambda;
  if (needsLambda && !(lam > 0 && isFinite(lam)))
    fail("lambda must be > 0 for the exact fit (without it the minimiser can lie infinitely far away), got " + lam);
  if (!(lam >= 0 && isFinite(lam))) fail("lambda must be a finite number >= 0, got " + lam);
  if (!(opts.delta >= 0 && isFinite(opts.delta))) fail("delta must be a finite number >= 0, got " + opts.delta);
  return {
    points: points, n: n, x1: points.map(function (p) { return p[0]; }),
    x2: points.map(function (p) { return p[1]; }), y: y, z1: z1, z2: z2,
    loss: checkChoice("loss", opts.loss, LOSSES), delta: opts.delta, lam: lam,
  };
}

/* ------------------------------------------------------------------ losses */

/** loss(m) as fit_linear computes it (relu, relu^2, F.softplus(-m) with torch's threshold). */
function trainingLoss(loss, m, delta) {
  if (loss === "logistic") {
    var x = -m; // softplus(x) = log(1 + e^x), and x itself past the threshold
    return x > SOFTPLUS_THRESHOLD ? x : Math.log1p(Math.exp(x));
  }
  var r = delta - m; // relu(Delta - m)
  if (!(r > 0)) return 0;
  return loss === "hinge" ? r : r * r;
}

/** d loss / d m with torch's choices: 0 at the kink m == Delta; softplus' slope 1 past 20. */
function trainingSlope(loss, m, delta) {
  if (loss === "logistic") {
    var x = -m;
    if (x > SOFTPLUS_THRESHOLD) return -1;
    var e = Math.exp(x);
    return -(e / (e + 1)); // -sigmoid(-m)
  }
  var r = delta - m;
  if (!(r > 0)) return 0;
  return loss === "hinge" ? -1 : -2 * r;
}

/** The exact loss (solve.py's exact_loss): log(1 + e^-m) to the last digit for the logistic. */
function exactLoss(loss, m, delta) {
  if (loss === "logistic") return Math.max(0, -m) + Math.log1p(Math.exp(-Math.abs(m)));
  return trainingLoss(loss, m, delta);
}

/** sigmoid(-m) = 1 / (1 + e^m), without overflow. */
function sigmoidOfMinus(m) {
  if (m >= 0) {
    var e = Math.exp(-m);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(m));
}

/* ---------------------------------------------------------------- training */

/** The state at (w, b): J, the mean loss, the violators (m < Delta) and the gradient of J,
 *  dJ/dw = lambda w + mean_i loss'(m_i) y_i x_i,  dJ/db = mean_i loss'(m_i) y_i. */
function evaluate(problem, w, b, epoch) {
  var n = problem.n, total = 0, violators = 0, g1 = 0, g2 = 0, gb = 0;
  for (var i = 0; i < n; i++) {
    var y = problem.y[i];
    var m = y * (w[0] * problem.x1[i] + w[1] * problem.x2[i] + b);
    total += trainingLoss(problem.loss, m, problem.delta);
    if (m < problem.delta) violators += 1;
    var pull = (trainingSlope(problem.loss, m, problem.delta) / n) * y; // d mean / d f(x_i)
    g1 += pull * problem.x1[i];
    g2 += pull * problem.x2[i];
    gb += pull;
  }
  return {
    w: w, b: b, epoch: epoch, loss: total / n, violators: violators,
    objective: (problem.lam / 2) * (w[0] * w[0] + w[1] * w[1]) + total / n,
    gradW: [problem.lam * w[0] + g1, problem.lam * w[1] + g2], gradB: gb,
  };
}

/** One epoch of full-batch (sub)gradient descent: theta <- theta - lr grad J(theta). */
function stepState(problem, s, lr) {
  var w = [s.w[0] - lr * s.gradW[0], s.w[1] - lr * s.gradW[1]];
  return evaluate(problem, w, s.b - lr * s.gradB, s.epoch + 1);
}

/** fit_linear's constant-step run: w, b, objective, loss, violators at epochs 0..epochs.
 *  If J stops being finite (the step is too long), `diverged` names the epoch and the run
 *  ends at the last finite epoch. */
function trainLinear(opts) {
  var problem = makeProblem(opts, false), epochs = opts.epochs, w0 = opts.w0 || [0, 0], b0 = opts.b0 || 0;
  checkNumber("lr", opts.lr, [1e-12, 1e3]);
  if (!(epochs >= 0 && epochs === Math.floor(epochs))) fail("epochs must be an integer >= 0, got " + epochs);
  if (!(w0.length === 2 && isFinite(w0[0]) && isFinite(w0[1]) && isFinite(b0)))
    fail("w0 must be [w1, w2] and b0 a number, all finite, got " + JSON.stringify([opts.w0, opts.b0]));
  var run = { w: [], b: [], objective: [], loss: [], violators: [], diverged: null, rose: null }, low = Infinity;
  var state = evaluate(problem, w0, b0, 0);
  for (var t = 0; ; t++) {
    if (!isFinite(state.objective)) {
      run.diverged = t;
      break;
    }
    run.w.push(state.w); run.b.push(state.b); run.objective.push(state.objective);
    run.loss.push(state.loss); run.violators.push(state.violators);
    if (run.rose === null && state.objective > low * (1 + RISE_TOL)) run.rose = t;
    low = Math.min(low, state.objective);
    if (t === epochs) break;
    state = stepState(problem, state, opts.lr);
  }
  return run;
}

/** The public one-epoch step: state {w, b, epoch} -> the next, with its objective. */
function step(state, opts) {
  var problem = makeProblem(opts, false);
  var s = stepState(problem, evaluate(problem, state.w, state.b, state.epoch || 0), opts.lr);
  return { w: s.w, b: s.b, epoch: s.epoch, objective: s.objective, loss: s.loss, violators: s.violators };
}

/* ------------------------------------------------------- small linear algebra */

/** Pseudo-inverse of a symmetric 3x3 matrix times a vector, by Jacobi's eigen-decomposition;
 *  eigenvalues below 3 eps max|lambda| count as 0 (torch.linalg.pinv's default cut). */
function pinvTimes(S, v) {
  var A = [S[0].slice(), S[1].slice(), S[2].slice()], V = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (var sweep = 0; sweep < 50; sweep++) {
    var off = A[0][1] * A[0][1] + A[0][2] * A[0][2] + A[1][2] * A[1][2];
    if (off < 1e-300) break;
    for (var p = 0; p < 2; p++)
      for (var q = p + 1; q < 3; q++) {
        if (A[p][q] === 0) continue;
        var theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        var t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        var c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (var k = 0; k < 3; k++) { // A <- J^T A J, V <- V J
          var akp = A[k][p], akq = A[k][q];
          A[k][p] = c * akp - s * akq; A[k][q] = s * akp + c * akq;
        }
        for (k = 0; k < 3; k++) {
          var apk = A[p][k], aqk = A[q][k];
          A[p][k] = c * apk - s * aqk; A[q][k] = s * apk + c * aqk;
        }
        for (k = 0; k < 3; k++) {
          var vkp = V[k][p], vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq; V[k][q] = s * vkp + c * vkq;
        }
      }
  }
  var eig = [A[0][0], A[1][1], A[2][2]];
  var cut = 3 * 2.220446049250313e-16 * Math.max(Math.abs(eig[0]), Math.abs(eig[1]), Math.abs(eig[2]));
  var out = [0, 0, 0];
  for (var e = 0; e < 3; e++) {
    if (!(Math.abs(eig[e]) > cut)) continue;
    var proj = (V[0][e] * v[0] + V[1][e] * v[1] + V[2][e] * v[2]) / eig[e];
    for (k = 0; k < 3; k++) out[k] += proj * V[k][e];
  }
  return out;
}

/* -------------------------------------------------------------- the solver */

/** sum_i c_i z_i z_i^T * scale, a symmetric 3x3 (c_i a weight, or true/false). */
function outerSums(problem, c, scale) {
  var s11 = 0, s12 = 0, s13 = 0, s22 = 0, s23 = 0, s33 = 0;
  for (var i = 0; i < problem.n; i++) {
    var ci = +c[i];
    if (ci === 0) continue;
    var a = problem.z1[i], b = problem.z2[i], e = problem.y[i];
    s11 += ci * a * a; s12 += ci * a * b; s13 += ci * a * e;
    s22 += ci * b * b; s23 += ci * b * e; s33 += ci * e * e;
  }
  return [[s11 * scale, s12 * scale, s13 * scale], [s12 * scale, s22 * scale, s23 * scale],
    [s13 * scale, s23 * scale, s33 * scale]];
}

function marginsOf(problem, theta) {
  var m = new Float64Array(problem.n);
  for (var i = 0; i < problem.n; i++)
    m[i] = problem.z1[i] * theta[0] + problem.z2[i] * theta[1] + problem.y[i] * theta[2];
  return m;
}

/** J(theta) with the exact loss: lambda/2 (w1^2 + w2^2) + mean_i loss(m_i). */
function primal(problem, m, theta) {
  var total = 0;
  for (var i = 0; i < problem.n; i++) total += exactLoss(problem.loss, m[i], problem.delta);
  return (problem.lam / 2) * (theta[0] * theta[0] + theta[1] * theta[1]) + total / problem.n;
}

/** (s, cap) of loss(m) = max_{0 <= u <= cap} u (Delta - m) - s u^2 / 2 (hinge: 0, 1). */
function huberForm(loss) {
  return loss === "hinge" ? [0, 1] : [0.5, Infinity];
}

/** D(u) = mean phi(u_i) - ||mean_i u_i y_i x_i||^2 / (2 lambda) <= min J, once u is made
 *  feasible (sum u_i y_i = 0) by scaling the larger class's pulls down to the smaller's.
 *  phi(u) = Delta u - s u^2 / 2, the logistic's H(u) = -u log u - (1 - u) log(1 - u). */
function dual(problem, u, s) {
  var n = problem.n, pos = 0, neg = 0, i;
  for (i = 0; i < n; i++) if (problem.y[i] > 0) pos += u[i]; else neg += u[i];
  var scalePos = pos > neg ? neg / pos : 1, scaleNeg = neg > pos ? pos / neg : 1;
  if (s === undefined) s = huberForm(problem.loss)[0];
  var phi = 0, v1 = 0, v2 = 0;
  for (i = 0; i < n; i++) {
    var ui = u[i] * (problem.y[i] > 0 ? scalePos : scaleNeg);
    if (problem.loss === "logistic") {
      phi -= (ui > 0 ? ui * Math.log(ui) : 0) + (ui < 1 ? (1 - ui) * Math.log(1 - ui) : 0);
    } else {
      phi += problem.delta * ui - (s * ui * ui) / 2;
    }
    v1 += ui * problem.z1[i];
    v2 += ui * problem.z2[i];
  }
  v1 /= n; v2 /= n;
  return phi / n - (v1 * v1 + v2 * v2) / (2 * problem.lam);
}

/** The hinge's pulls at z = Delta - m: 1 inside the margin, 0 outside, and for the points
 *  `near` it the least-squares pulls meeting stationarity lambda (w, 0) = mean u_i z_i
 *  (clipped to [0, 1] and fixed, the rest solved again: `rounds` times). */
function marginPulls(problem, z, near, theta, rounds) {
  var n = problem.n, u = new Float64Array(n), free = near.slice(), i;
  for (i = 0; i < n; i++) u[i] = z[i] > 0 && !near[i] ? 1 : 0;
  var target = [problem.lam * theta[0], problem.lam * theta[1], 0];
  for (var round = 0; round < (rounds || 3); round++) {
    var missing = target.slice(), M = outerSums(problem, free, 1 / (n * n));
    for (i = 0; i < n; i++) {
      if (free[i] || u[i] === 0) continue;
      missing[0] -= (u[i] * problem.z1[i]) / n;
      missing[1] -= (u[i] * problem.z2[i]) / n;
      missing[2] -= (u[i] * problem.y[i]) / n;
    }
    var coef = pinvTimes(M, missing), changed = false;
    for (i = 0; i < n; i++) {
      if (!free[i]) continue;
      u[i] = (coef[0] * problem.z1[i] + coef[1] * problem.z2[i] + coef[2] * problem.y[i]) / n;
      if (!(u[i] >= 0 && u[i] <= 1)) {
        free[i] = false;
        changed = true;
        u[i] = Math.min(1, Math.max(0, u[i]));
      }
    }
    if (!changed) break; // none clipped: the pulls meet stationarity
  }
  return u;
}

/** Per point: the loss (the hinge smoothed with s = mu), its pull u = -loss'(m), curvature. */
function smoothed(problem, m, mu) {
  var n = problem.n, value = new Float64Array(n), u = new Float64Array(n), curv = new Float64Array(n);
  var form = huberForm(problem.loss), s = problem.loss === "hinge" ? mu : form[0], cap = form[1];
  for (var i = 0; i < n; i++) {
    if (problem.loss === "logistic") {
      u[i] = sigmoidOfMinus(m[i]);
      value[i] = exactLoss("logistic", m[i], 0);
      curv[i] = u[i] * (1 - u[i]);
    } else {
      var z = problem.delta - m[i];
      u[i] = Math.min(cap, Math.max(0, z / s));
      value[i] = u[i] * (z - (s * u[i]) / 2);
      curv[i] = z > 0 && z < s * cap ? 1 / s : 0;
    }
  }
  return { value: value, u: u, curv: curv };
}

/** J, the certified gap at theta, the slopes' gap, and the smoothed loss, pulls, curvature. */
function certify(problem, theta, mu) {
  var m = marginsOf(problem, theta), sm = smoothed(problem, m, mu);
  var objective = primal(problem, m, theta), lower = dual(problem, sm.u);
  var slopeGap = objective - lower;
  if (problem.loss === "hinge") {
    var z = new Float64Array(problem.n), near = [];
    for (var i = 0; i < problem.n; i++) {
      z[i] = problem.delta - m[i];
      near.push(Math.abs(z[i]) < mu);
    }
    lower = Math.max(lower, dual(problem, marginPulls(problem, z, near, theta)));
  }
  return { objective: objective, gap: objective - lower, slopeGap: slopeGap, sm: sm };
}

/** A step t along p for phi(t) = J_mu(theta + t p) (convex): safeguarded Newton on phi'(t),
 *  else bisection; returns the largest t seen with phi'(t) <= 0 (0 if none). */
function lineSearch(problem, theta, p, mu) {
  var n = problem.n, m0 = marginsOf(problem, theta), q = marginsOf(problem, p);
  var lam = problem.lam, low = 0, high = Infinity, t = 1, m = new Float64Array(n);
  for (var tries = 0; tries < LINE_SEARCH_TRIES; tries++) {
    for (var i = 0; i < n; i++) m[i] = m0[i] + t * q[i];
    var sm = smoothed(problem, m, mu), uq = 0, cq = 0;
    for (i = 0; i < n; i++) {
      uq += sm.u[i] * q[i];
      cq += sm.curv[i] * q[i] * q[i];
    }
    var slope = lam * ((theta[0] + t * p[0]) * p[0] + (theta[1] + t * p[1]) * p[1]) - uq / n;
    var curvature = lam * (p[0] * p[0] + p[1] * p[1]) + cq / n;
    if (slope <= 0) low = t; else high = t;
    var newton = t - slope / curvature;
    var cut = low === 0 ? t / 100 : (low + high) / 2;
    var next = newton > low && newton < high ? newton : high === Infinity ? 100 * t : cut;
    if (next === t) break;
    t = next;
  }
  return low;
}

/** J and the gap at theta, then one damped Newton step (H + nu I) p = -g: theta, mu, nu. */
function newtonStep(problem, theta, nu, mu) {
  var cert = certify(problem, theta, mu), sm = cert.sm, n = problem.n, lam = problem.lam;
  var g = [lam * theta[0], lam * theta[1], 0], H = outerSums(problem, sm.curv, 1 / n);
  H[0][0] += lam;
  H[1][1] += lam;
  for (var i = 0; i < n; i++) {
    g[0] -= (sm.u[i] * problem.z1[i]) / n;
    g[1] -= (sm.u[i] * problem.z2[i]) / n;
    g[2] -= (sm.u[i] * problem.y[i]) / n;
  }
  var damping = Math.max(nu, 1e-13 * Math.max(H[0][0], H[1][1], H[2][2]));
  var A = [0, 1, 2].map(function (r) {
    return H[r].map(function (h, c) { return h + (r === c ? damping : 0); });
  });
  var p = pinvTimes(A, g).map(function (v) { return -v; }); // A is positive definite
  var t = lineSearch(problem, theta, p, mu);
  nu = Math.min(1e12, Math.max(1e-12, t > 0.5 ? nu / 10 : t < 0.1 ? nu * 10 : nu));
  if (problem.loss === "hinge") {
    // smooth less once the smoothing holds most of the slopes' gap open, or once Newton can
    // lower the smoothed objective no further in float64
    var smooth = (lam / 2) * (theta[0] * theta[0] + theta[1] * theta[1]);
    for (i = 0; i < n; i++) smooth += sm.value[i] / n;
    var levelGap = smooth - dual(problem, sm.u, mu);
    var descent = -(g[0] * p[0] + g[1] * p[1] + g[2] * p[2]);
    if (levelGap <= cert.slopeGap / 2 || descent <= 1e-14 * cert.objective) mu /= 10;
  }
  var next = [theta[0] + t * p[0], theta[1] + t * p[1], theta[2] + t * p[2]];
  return { objective: cert.objective, gap: cert.gap, theta: next, mu: mu, nu: nu };
}

/** The minimiser of J for one setting, certified: stops once gap <= tol J (tol 1e-9). With
 *  `start: {w, b}` (a nearby optimum) Newton starts there at a fine smoothing (1e-5 Delta) and
 *  falls back to the cold start (solve_linear's: 0, smoothing Delta) after 40 steps.
 *  Returns {w, b, objective, gap, iterations, converged}; converged is false (and `message`
 *  says so) if 300 Newton steps did not reach the tolerance. */
function solveLinear(opts) {
  var problem = makeProblem(opts, true), tol = opts.tol === undefined ? 1e-9 : opts.tol;
  var scale = problem.delta > 0 ? problem.delta : 1;
  var theta = [0, 0, 0], mu = FIRST_MU * scale, nu = 1e-3, steps = 0, limit = MAX_STEPS;
  if (opts.start) { // warm: from a nearby optimum, at a finer smoothing; cold again if slow
    theta = [opts.start.w[0], opts.start.w[1], opts.start.b];
    mu = 1e-5 * scale;
    limit = 40;
  }
  var floor = 1e-14 * primal(problem, new Float64Array(problem.n), theta); // J(0, 0)
  for (var k = 0; k < limit; k++) {
    var s = newtonStep(problem, theta, nu, mu);
    if (s.gap <= tol * s.objective + floor)
      return solution(theta, s.objective, s.gap, steps, true);
    theta = s.theta;
    mu = Math.max(s.mu, MIN_MU * scale);
    nu = s.nu;
    steps += 1;
  }
  if (opts.start) return solveLinear(Object.assign({}, opts, { start: null }));
  var last = certify(problem, theta, mu);
  var result = solution(theta, last.objective, last.gap, steps, false);
  result.message = "the solver reached only a duality gap of " + last.gap.toExponential(1) +
    " in " + MAX_STEPS + " Newton steps (tol " + tol + ")";
  return result;
}

function solution(theta, objective, gap, iterations, converged) {
  return { w: [theta[0], theta[1]], b: theta[2], objective: objective, gap: gap,
    iterations: iterations, converged: converged };
}

/** An upper bound on J(w, b) - min J for any (w, b): J - max_u D(u) over feasible pulls u,
 *  the loss's slopes (the hinge's also smoothed over WIDTHS, and its margin pulls) and u = 0
 *  (D = 0: the gap is never above J), as hingelib's duality_gap. */
function dualityGap(opts) {
  var problem = makeProblem(opts, true), theta = [opts.w[0], opts.w[1], opts.b];
  var m = marginsOf(problem, theta), n = problem.n, z = new Float64Array(n), i;
  for (i = 0; i < n; i++) z[i] = problem.delta - m[i];
  var candidates = [];
  function pulls(f) {
    var u = new Float64Array(n);
    for (var j = 0; j < n; j++) u[j] = f(j);
    candidates.push(u);
  }
  if (problem.loss === "logistic") {
    pulls(function (j) { return sigmoidOfMinus(m[j]); });
  } else if (problem.loss === "hinge") {
    pulls(function (j) { return z[j] > 0 ? 1 : 0; });
    WIDTHS.forEach(function (mu) {
      pulls(function (j) { return Math.min(1, Math.max(0, z[j] / mu)); });
    });
    WIDTHS.forEach(function (eps) {
      var near = [];
      for (var j = 0; j < n; j++) near.push(Math.abs(z[j]) <= eps);
      candidates.push(marginPulls(problem, z, near, theta));
    });
  } else {
    pulls(function (j) { return Math.max(0, z[j] / 0.5); });
  }
  var lower = 0; // u = 0 is feasible with D(0) = 0 (every loss is >= 0): the gap is at most J
  candidates.forEach(function (u) { lower = Math.max(lower, dual(problem, u)); });
  return primal(problem, m, theta) - lower;
}

/** What the explorer reports (hingelib's margin_numbers): the margin width 2 Delta / ||w||,
 *  the support vectors (hinge: m <= Delta (1 + 1e-3); squared hinge: m < Delta; logistic:
 *  none, null), the violators (m < Delta; the hinge's m < Delta (1 - 1e-3)), the accuracy,
 *  and `ringed`, a 0/1 array of the support vectors. */
function marginNumbers(opts) {
  var points = opts.points, w = opts.w, b = opts.b, delta = opts.delta, loss = opts.loss;
  var norm = Math.sqrt(w[0] * w[0] + w[1] * w[1]), ringed = new Uint8Array(points.length);
  var support = 0, violators = 0, right = 0;
  var inside = loss === "hinge" ? delta * (1 - SUPPORT_TOL) : delta;
  for (var i = 0; i < points.length; i++) {
    var p = points[i], m = p[2] * (w[0] * p[0] + w[1] * p[1] + b);
    var ring = loss === "hinge" ? m <= delta * (1 + SUPPORT_TOL) : loss === "squared_hinge" && m < delta;
    if (ring) { ringed[i] = 1; support += 1; }
    if (m < inside) violators += 1;
    if (m > 0) right += 1;
  }
  return {
    marginWidth: norm > 0 ? (2 * delta) / norm : Infinity,
    supportVectors: loss === "logistic" ? null : support,
    violators: violators,
    accuracy: right / points.length,
    ringed: ringed,
  };
}

/** The points inside the margin, m < Delta (the count the trainer calls violators):
 *  what the explorer rings away from an optimum. */
function insideMargin(points, w, b, delta) {
  var ringed = new Uint8Array(points.length), count = 0;
  for (var i = 0; i < points.length; i++) {
    var p = points[i];
    if (p[2] * (w[0] * p[0] + w[1] * p[1] + b) < delta) { ringed[i] = 1; count += 1; }
  }
  return { ringed: ringed, count: count };
}

/** "≤ 3e-10" for a gap of 2.7e-10 (rounded up: it is a bound), as hingelib's gap_text. */
function gapText(gap) {
  if (!(gap >= 1e-15)) return "< 1e-15";
  var exponent = Math.floor(Math.log10(gap)), digit = Math.ceil(gap / Math.pow(10, exponent) - 1e-9);
  if (digit >= 10) { exponent += 1; digit = 1; }
  return "≤ " + digit + "e" + (exponent < 0 ? "-" : "+") + String(Math.abs(exponent)).padStart(2, "0");
}

var HingeExplorer = {
  LOSSES: LOSSES,
  RANGES: RANGES,
  trainingLoss: trainingLoss,
  trainingSlope: trainingSlope,
  exactLoss: exactLoss,
  trainLinear: trainLinear,
  step: step,
  solveLinear: solveLinear,
  dualityGap: dualityGap,
  marginNumbers: marginNumbers,
  gapText: gapText,
};
/* ======================================================================= UI
 * Everything below needs a DOM. One Explorer per [data-explorer] figure. */

var NS = "hx";
var CLICK_RADIUS = { mouse: 10, pen: 12, touch: 20 }; // CSS px to hit a point
var KEYS = ". N or P selects a point, arrow keys move it, Delete removes it, + and − add one";
var FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
var ANNOUNCE_AFTER_MS = 700; // the live region speaks once the reader stops
var uid = 0;

function make(tag, attrs, text) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
  if (text !== undefined) node.textContent = text;
  return node;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function fixed(x, digits) {
  return isFinite(x) ? x.toFixed(digits) : "∞";
}

/** 3 significant digits without exponent noise: 0.0137, 0.73, 1e-4 as 0.0001. */
function short(x) {
  return String(Number(x.toPrecision(3)));
}

function plural(count, noun) {
  return count + " " + noun + (count === 1 ? "" : "s");
}

/** (-a, b) with a, b the first round numbers past the margins (hingelib's _round_range). */
function roundUp(x) {
  var step = Math.pow(10, Math.floor(Math.log10(x)));
  var ks = [1, 1.5, 2, 3, 4, 5, 6, 8, 10];
  for (var i = 0; i < ks.length; i++) if (ks[i] * step >= x) return ks[i] * step;
  return 10 * step;
}

function roundRange(margins, delta) {
  var low = 1.5, high = delta + 1.5;
  for (var i = 0; i < margins.length; i++) {
    if (!isFinite(margins[i])) continue;
    low = Math.max(low, -margins[i]);
    high = Math.max(high, margins[i]);
  }
  return [-roundUp(low + 0.25), roundUp(high + 0.25)];
}

/** Ticks at a round step (1, 2 or 5 times a power of ten), about five over [lo, hi]. */
function ticks(lo, hi) {
  var raw = (hi - lo) / 5, power = Math.pow(10, Math.floor(Math.log10(raw)));
  var step = [1, 2, 5, 10].map(function (k) { return k * power; }).filter(function (s) { return s >= raw; })[0];
  var out = [];
  for (var t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}

/** The square data box of the plane: the points' range plus 0.5 (as hingelib's plots). */
function dataBox(points) {
  var lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  points.forEach(function (p) {
    for (var k = 0; k < 2; k++) { lo[k] = Math.min(lo[k], p[k] - 0.5); hi[k] = Math.max(hi[k], p[k] + 0.5); }
  });
  var half = Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2;
  var cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
  return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
}

/** The colours, from the CSS custom properties --hx-* (so they follow the theme). */
function readPalette(el) {
  var style = getComputedStyle(el), palette = {};
  ["bg", "fg", "muted", "grid", "band", "pos", "neg", "optimum", "focus", "hinge", "squared-hinge", "logistic"]
    .forEach(function (name) {
      palette[name.replace("-", "_")] = style.getPropertyValue("--hx-" + name).trim() || "#777";
    });
  return palette;
}

/* ----------------------------------------------------------------- drawing */

/** A canvas sized to its CSS box times devicePixelRatio, its context scaled to CSS px. */
function prepare(canvas) {
  var ratio = window.devicePixelRatio || 1;
  var w = canvas.clientWidth || 300, h = canvas.clientHeight || 300;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  var ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx: ctx, w: w, h: h };
}

var PAD = { left: 34, right: 8, top: 8, bottom: 32 };

/** The plane's map from data to CSS px: the square box fitted, centred, into the canvas. */
function planeView(box, w, h) {
  var width = w - PAD.left - PAD.right, height = h - PAD.top - PAD.bottom;
  var scale = Math.min(width / (box.x1 - box.x0), height / (box.y1 - box.y0));
  var left = PAD.left + (w - PAD.left - PAD.right - scale * (box.x1 - box.x0)) / 2;
  var top = PAD.top + (h - PAD.top - PAD.bottom - scale * (box.y1 - box.y0)) / 2;
  return {
    box: box, scale: scale, left: left, top: top,
    right: left + scale * (box.x1 - box.x0), bottom: top + scale * (box.y1 - box.y0),
    px: function (x) { return left + (x - box.x0) * scale; },
    py: function (y) { return top + (box.y1 - y) * scale; },
    dx: function (px) { return box.x0 + (px - left) / scale; },
    dy: function (py) { return box.y1 - (py - top) / scale; },
  };
}

function font(ctx, px) {
  ctx.font = px + "px " + FONT; // canvas text sized in CSS px: never below 9
}

function frame(ctx, pal, v, xs, ys, fmt, labels) {
  ctx.fillStyle = pal.bg;
  ctx.fillRect(v.left, v.top, v.right - v.left, v.bottom - v.top);
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(v.left + 0.5, v.top + 0.5, v.right - v.left - 1, v.bottom - v.top - 1);
  font(ctx, 11);
  ctx.fillStyle = pal.muted;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  xs.ticks.forEach(function (t) { ctx.fillText(fmt(t), xs.map(t), v.bottom + 3); });
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ys.ticks.forEach(function (t) { ctx.fillText(fmt(t), v.left - 4, ys.map(t)); });
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(labels[0], (v.left + v.right) / 2, v.bottom + 31);
  ctx.save();
  ctx.translate(v.left - 24, (v.top + v.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(labels[1], 0, 0);
  ctx.restore();
}

function tickText(t) {
  return String(Number(t.toPrecision(3)));
}

/** The line w . x + b = level, as two far points (the canvas clips it to the box). */
function levelLine(v, w, b, level) {
  var norm2 = w[0] * w[0] + w[1] * w[1];
  var cx = (v.box.x0 + v.box.x1) / 2, cy = (v.box.y0 + v.box.y1) / 2;
  var shift = (level - (w[0] * cx + w[1] * cy + b)) / norm2; // the line's point nearest the centre
  var px = cx + shift * w[0], py = cy + shift * w[1], far = 4 * (v.box.x1 - v.box.x0) / Math.sqrt(norm2);
  return [[px - far * w[1], py + far * w[0]], [px + far * w[1], py - far * w[0]]];
}

function strokeLine(ctx, v, seg) {
  ctx.beginPath();
  ctx.moveTo(v.px(seg[0][0]), v.py(seg[0][1]));
  ctx.lineTo(v.px(seg[1][0]), v.py(seg[1][1]));
  ctx.stroke();
}

function marker(ctx, x, y, label, r) {
  ctx.beginPath();
  if (label > 0) ctx.arc(x, y, r, 0, 2 * Math.PI);
  else ctx.rect(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
}

/** The plane: band, margin lines (dashed), boundary (solid), the optimum (faint, dotted),
 *  the points (+1 circles, -1 squares), the support vectors ringed, the selection marked. */
function drawPlane(canvas, pal, model) {
  var c = prepare(canvas), ctx = c.ctx, v = planeView(model.box, c.w, c.h);
  ctx.clearRect(0, 0, c.w, c.h);
  var axis = function (lo, hi, map) { return { ticks: ticks(lo, hi), map: map }; };
  frame(ctx, pal, v, axis(v.box.x0, v.box.x1, v.px), axis(v.box.y0, v.box.y1, v.py), tickText, ["x₁", "x₂"]);
  ctx.save();
  ctx.beginPath();
  ctx.rect(v.left, v.top, v.right - v.left, v.bottom - v.top);
  ctx.clip();
  var w = model.w, b = model.b, delta = model.delta;
  if (w[0] * w[0] + w[1] * w[1] > 0 && isFinite(w[0] + w[1] + b)) {
    var upper = levelLine(v, w, b, delta), lower = levelLine(v, w, b, -delta);
    ctx.fillStyle = pal.band;
    ctx.beginPath();
    [upper[0], upper[1], lower[1], lower[0]].forEach(function (p, i) {
      ctx[i ? "lineTo" : "moveTo"](v.px(p[0]), v.py(p[1]));
    });
    ctx.fill();
    ctx.strokeStyle = pal.fg;
    ctx.lineWidth = 1;
    ctx.setLineDash([5, 4]);
    strokeLine(ctx, v, upper);
    strokeLine(ctx, v, lower);
    ctx.setLineDash([]);
    ctx.lineWidth = 2;
    strokeLine(ctx, v, levelLine(v, w, b, 0));
  }
  var ghost = model.ghost;
  if (ghost && ghost.w[0] * ghost.w[0] + ghost.w[1] * ghost.w[1] > 0) {
    ctx.strokeStyle = pal.optimum;
    ctx.lineWidth = 2;
    ctx.setLineDash([2, 3]);
    strokeLine(ctx, v, levelLine(v, ghost.w, ghost.b, 0));
    ctx.setLineDash([]);
  }
  ctx.lineWidth = 0.8;
  ctx.strokeStyle = pal.bg;
  model.points.forEach(function (p) {
    ctx.fillStyle = p[2] > 0 ? pal.pos : pal.neg;
    marker(ctx, v.px(p[0]), v.py(p[1]), p[2], 4);
    ctx.fill();
    ctx.stroke();
  });
  ctx.strokeStyle = pal.fg;
  ctx.lineWidth = 1.2;
  model.points.forEach(function (p, i) {
    if (!model.ringed || !model.ringed[i]) return;
    ctx.beginPath();
    ctx.arc(v.px(p[0]), v.py(p[1]), 7.5, 0, 2 * Math.PI);
    ctx.stroke();
  });
  if (model.selected >= 0 && model.points[model.selected]) {
    var s = model.points[model.selected], sx = v.px(s[0]), sy = v.py(s[1]);
    ctx.strokeStyle = pal.bg; // a halo, then the focus colour: unlike any other ring
    ctx.lineWidth = 6;
    ctx.beginPath();
    ctx.arc(sx, sy, 11, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = pal.focus;
    ctx.lineWidth = 3.5;
    ctx.stroke();
  }
  ctx.restore();
  return v;
}

/** The loss panel: loss(m) in the loss's colour, each point at (m_i, loss(m_i)), m = Delta. */
function drawLoss(canvas, pal, model) {
  var c = prepare(canvas), ctx = c.ctx, loss = model.loss, delta = model.delta;
  ctx.clearRect(0, 0, c.w, c.h);
  var range = roundRange(model.margins, delta);
  var curveTop = Math.max(exactLoss(loss, range[0], delta), exactLoss(loss, range[1], delta));
  var top = roundUp(Math.max(0.98 * curveTop, 1)), yRange = [-0.05 * top, 1.05 * top];
  var v = { left: PAD.left + 4, right: c.w - PAD.right, top: PAD.top, bottom: c.h - PAD.bottom };
  var mx = function (m) { return v.left + ((m - range[0]) / (range[1] - range[0])) * (v.right - v.left); };
  var my = function (l) { return v.bottom - ((l - yRange[0]) / (yRange[1] - yRange[0])) * (v.bottom - v.top); };
  frame(ctx, pal, v, { ticks: ticks(range[0], range[1]), map: mx },
    { ticks: ticks(0, yRange[1]), map: my }, tickText, ["margin m = y f(x)", "loss"]);
  ctx.save();
  ctx.beginPath();
  ctx.rect(v.left, v.top, v.right - v.left, v.bottom - v.top);
  ctx.clip();
  ctx.strokeStyle = pal.muted;
  ctx.lineWidth = 1;
  ctx.setLineDash([2, 3]);
  ctx.beginPath();
  ctx.moveTo(mx(delta), v.top);
  ctx.lineTo(mx(delta), v.bottom);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = pal[loss];
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (var k = 0; k <= 240; k++) {
    var m = range[0] + ((range[1] - range[0]) * k) / 240;
    ctx[k ? "lineTo" : "moveTo"](mx(m), my(exactLoss(loss, m, delta)));
  }
  ctx.stroke();
  ctx.globalAlpha = 0.75;
  ctx.strokeStyle = pal.bg;
  ctx.lineWidth = 0.5;
  model.margins.forEach(function (m, i) {
    var label = model.points[i][2];
    ctx.fillStyle = label > 0 ? pal.pos : pal.neg;
    marker(ctx, mx(m), my(exactLoss(loss, m, delta)), label, 3.5);
    ctx.fill();
    ctx.stroke();
  });
  ctx.globalAlpha = 1;
  font(ctx, 12);
  ctx.fillStyle = pal.fg;
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  ctx.fillText("Δ", mx(delta) + 3, v.top + 3);
  ctx.restore();
}

/* ---------------------------------------------------------------- controls */

/** A labelled range input with an <output> showing its value. `log`: the slider moves
 *  log10 of the value. */
function slider(id, text, range, log, format) {
  var row = make("div", { class: NS + "-control" });
  var input = make("input", {
    type: "range", id: id,
    min: log ? Math.log10(range[0]) : range[0], max: log ? Math.log10(range[1]) : range[1],
    step: log ? 0.01 : range[1] - range[0] > 10 ? 1 : 0.01,
  });
  var label = make("label", { for: id }, text);
  var output = make("output", { for: id, "aria-hidden": "true" });
  row.append(label, input, output);
  return {
    row: row, input: input,
    read: function () { var x = Number(input.value); return log ? Math.pow(10, x) : x; },
    show: function (value) {
      var position = log ? Math.log10(value) : value;
      if (Math.abs(Number(input.value) - position) > 1e-9) input.value = String(position);
      var shown = format(value);
      setText(output, shown);
      if (input.getAttribute("aria-valuetext") !== shown) input.setAttribute("aria-valuetext", shown);
    },
  };
}

function button(text, onClick) {
  var node = make("button", { type: "button", class: NS + "-button" }, text);
  node.addEventListener("click", onClick);
  return node;
}

/* ---------------------------------------------------------------- explorer */

function Explorer(el) {
  this.el = el;
  this.kind = el.getAttribute("data-explorer");
  checkChoice("data-explorer", this.kind, ["boundary", "training"]);
  var script = el.querySelector("script.hinge-explorer-config");
  if (!script) fail("the figure has no <script type=\"application/json\" class=\"hinge-explorer-config\">");
  this.config = JSON.parse(script.textContent);
  this.id = (el.id || NS + "-" + uid) + "-" + uid++;
  this.timing = { lastFrameMs: 0, frames: 0 };
  this.reducedMotion = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  this.pending = 0;
  this.drag = null;
  this.reset(true);
  this.build();
  this.palette = readPalette(el);
  this.recompute();
  this.render();
}

var proto = Explorer.prototype;

/** The config's points and settings, paused, nothing selected. */
proto.reset = function (first) {
  var c = this.config;
  this.points = checkPoints(c.points).map(function (p) { return [p[0], p[1], p[2]]; });
  this.box = dataBox(this.points);
  this.delta = checkNumber("delta", c.delta, RANGES.delta);
  this.lambda = checkNumber("lambda", c.lambda, RANGES.lambda);
  this.lr = checkNumber("lr", c.lr === undefined ? 0.1 : c.lr, RANGES.lr);
  this.epochs = c.epochs === undefined ? 2000 : c.epochs;
  if (!(this.epochs >= 1 && this.epochs === Math.floor(this.epochs) && this.epochs <= 100000))
    fail("epochs must be an integer from 1 to 100000, got " + c.epochs);
  this.w0 = c.w0 || [0, 0];
  this.b0 = c.b0 || 0;
  this.loss = checkChoice("loss", c.loss || "hinge", LOSSES);
  this.losses = (c.losses || ["hinge", "logistic"]).map(function (l) { return checkChoice("losses", l, LOSSES); });
  this.playing = false;
  this.epoch = 0;
  this.descent = null; // boundary: the gradient-descent state on show, or null for the optimum
  this.selected = -1;
  this.message = "";
  if (!first) this.recompute();
};

proto.settings = function (loss) {
  return { points: this.points, loss: loss || this.loss, delta: this.delta, lambda: this.lambda, lr: this.lr };
};

/** After any change: the optimum of the settings shown, and (training) every trajectory. */
proto.recompute = function () {
  var self = this;
  if (this.kind === "boundary") {
    this.problem = makeProblem(this.settings(), true);
    this.optimum = solveLinear(this.warm(this.settings(), this.optimum));
    if (!this.optimum.converged) this.message = "Not certified: " + this.optimum.message + ".";
    if (this.descent && !this.playing) this.descent = null; // paused: show the optimum again
    if (this.descent) this.descent = this.reevaluate(this.descent);
    return;
  }
  this.runs = this.losses.map(function (loss, i) {
    var opts = self.settings(loss);
    opts.epochs = self.epochs; opts.w0 = self.w0; opts.b0 = self.b0;
    return { loss: loss, run: trainLinear(opts), optimum: solveLinear(self.warm(opts, self.runs && self.runs[i].optimum)) };
  });
};

/** Solver options warm-started from the last optimum: after a small change, a few steps. */
proto.warm = function (opts, last) {
  if (last && last.converged) opts.start = last;
  return opts;
};

/** The same (w, b, epoch) evaluated on the current points and settings. */
proto.reevaluate = function (state) {
  return evaluate(this.problem, state.w, state.b, state.epoch);
};

/* The model on show, for the boundary kind: the descent's iterate or the optimum. */
proto.shown = function () {
  var d = this.descent || this.optimum, opts = this.settings();
  opts.w = d.w; opts.b = d.b;
  var numbers = marginNumbers(opts), inside = insideMargin(this.points, d.w, d.b, this.delta);
  var best = this.optimum, flat = isFlat(best, this.lambda);
  var optimumNumbers = this.descent ? marginNumbers(Object.assign({}, opts, { w: best.w, b: best.b })) : numbers;
  if (!this.descent && flat) numbers.marginWidth = null; // w = 0: no boundary, no width
  return { w: d.w, b: d.b, objective: d.objective, gap: this.descent ? dualityGap(opts) : d.gap,
    epoch: this.descent ? d.epoch : 0, source: this.descent ? "descent" : "optimum", numbers: numbers,
    flat: !this.descent && flat, supportVectors: optimumNumbers.supportVectors,
    // rings: the optimum's support vectors; during descent the points inside the margin
    ringed: this.descent ? inside.ringed : numbers.ringed,
    ringCount: this.descent ? inside.count : numbers.supportVectors };
};

/** An optimum whose w cannot be told from 0 by its certificate: lambda/2 ||w||^2 <= gap. */
function isFlat(fit, lambda) {
  return (lambda / 2) * (fit.w[0] * fit.w[0] + fit.w[1] * fit.w[1]) <= Math.max(fit.gap, 0);
}

/* The models on show, for the training kind, at this.epoch (the last finite one if diverged). */
proto.models = function () {
  var self = this;
  return this.runs.map(function (r) {
    var t = Math.min(self.epoch, r.run.w.length - 1), w = r.run.w[t], b = r.run.b[t];
    var opts = self.settings(r.loss);
    opts.w = w; opts.b = b;
    return { loss: r.loss, w: w, b: b, objective: r.run.objective[t], gap: dualityGap(opts),
      active: r.run.violators[t], epoch: t, diverged: r.run.diverged, rose: r.run.rose,
      optimum: isFlat(r.optimum, self.lambda) ? null : r.optimum };
  });
};

/* ---------------------------------------------------------------- building */

proto.build = function () {
  var self = this, el = this.el, id = this.id;
  var rootNode = make("div", { class: NS + "-root " + NS + "-" + this.kind });
  var panels = make("div", { class: NS + "-panels" });
  this.planes = [];
  this.titles = [];
  var names = this.kind === "boundary" ? ["plane", "loss"] : this.losses;
  names.forEach(function (name, i) {
    var title = make("p", { class: NS + "-panel-title", id: id + "-title-" + i });
    var canvas = make("canvas", name === "loss" ? { class: NS + "-canvas", role: "img" } : {
      class: NS + "-canvas", tabindex: "0", role: "application",
      "aria-roledescription": "data plane", "aria-describedby": title.id,
    });
    if (name === "loss") self.lossCanvas = canvas;
    else {
      self.planes.push(canvas);
      self.wirePlane(canvas);
    }
    panels.append(make("div", { class: NS + "-panel" }));
    panels.lastChild.append(title, canvas);
    self.titles.push(title);
  });
  this.legend = make("p", { class: NS + "-legend" });
  this.readouts = make("div", { class: NS + "-readouts" });
  this.messageNode = make("p", { class: NS + "-message" });
  this.live = make("p", { class: NS + "-sr", "aria-live": "polite" });
  var controls = make("div", { class: NS + "-controls" });
  this.sliders = {};
  if (this.kind === "boundary") {
    var row = make("div", { class: NS + "-control" });
    this.lossSelect = make("select", { id: id + "-loss" });
    LOSSES.forEach(function (l) { self.lossSelect.append(make("option", { value: l }, LOSS_LABELS[l])); });
    this.lossSelect.addEventListener("change", function () { self.apply({ loss: self.lossSelect.value }); });
    row.append(make("label", { for: id + "-loss" }, "Loss"), this.lossSelect);
    controls.append(row);
  } else {
    this.sliders.epoch = slider(id + "-epoch", "Epoch", [0, this.epochs], false, String);
    this.sliders.epoch.input.setAttribute("step", "1");
    controls.append(this.sliders.epoch.row);
  }
  this.sliders.delta = slider(id + "-delta", "Margin Δ", RANGES.delta, false, function (x) { return x.toFixed(2); });
  this.sliders.lambda = slider(id + "-lambda", "Weight decay λ", RANGES.lambda, true, short);
  this.sliders.lr = slider(id + "-lr", "Learning rate", RANGES.lr, true, short);
  ["delta", "lambda", "lr"].forEach(function (name) { controls.append(self.sliders[name].row); });
  Object.keys(this.sliders).forEach(function (name) {
    self.sliders[name].input.addEventListener("input", function () {
      var change = {};
      change[name] = name === "epoch" ? Math.round(self.sliders.epoch.read()) : self.sliders[name].read();
      if (name === "epoch") change.playing = false;
      self.apply(change, true);
    });
  });
  var classRow = make("div", { class: NS + "-control" });
  this.classSelect = make("select", { id: id + "-class" });
  this.classSelect.append(
    make("option", { value: "1" }, "+1 (circle)"),
    make("option", { value: "-1" }, "−1 (square)")
  );
  classRow.append(make("label", { for: id + "-class" }, "A click adds"), this.classSelect);
  controls.append(classRow);
  var buttons = make("div", { class: NS + "-buttons" });
  this.playButton = button("Play", function () { self.apply({ playing: !self.playing }); });
  buttons.append(this.playButton);
  if (this.kind === "training") buttons.append(button("Step back", function () { self.stepBy(-1); }));
  buttons.append(button("Step", function () { self.stepBy(1); }));
  if (this.kind === "boundary") buttons.append(button("Solve", function () { self.solveNow(); }));
  buttons.append(
    button("Reset", function () { self.reset(); self.changed(); }),
    button("Add +1", function () { self.addPoint(1); }),
    button("Add −1", function () { self.addPoint(-1); }),
    button("Remove point", function () { self.removeSelected(); })
  );
  rootNode.append(panels, this.legend, this.readouts, this.messageNode, controls, buttons, this.live);
  el.insertBefore(rootNode, el.querySelector("figcaption"));
  this.rootNode = rootNode;
  el.explorerState = function () { return self.state(); };
  el.explorerSet = function (values) { return self.set(values); };
  el.explorerScreenPoint = function (i) { return self.screenPoint(i); };
  el.explorerTiming = function () { return { lastFrameMs: self.timing.lastFrameMs, frames: self.timing.frames }; };
};

/* ----------------------------------------------------------------- changes */

/** Validate `values` (any of delta, lambda, lr, loss, playing, epoch, points) as a whole,
 *  then apply them; throws an Error naming the problem and the valid range. */
proto.validate = function (values) {
  if (!values || typeof values !== "object") fail("explorerSet takes an object, e.g. {delta: 0.73}");
  var known = ["delta", "lambda", "lr", "loss", "playing", "epoch", "points"];
  Object.keys(values).forEach(function (key) {
    if (known.indexOf(key) < 0)
      fail("explorerSet does not know " + JSON.stringify(key) + "; it sets " + known.join(", "));
  });
  if ("delta" in values) checkNumber("delta", values.delta, RANGES.delta);
  if ("lambda" in values) checkNumber("lambda", values.lambda, RANGES.lambda);
  if ("lr" in values) checkNumber("lr", values.lr, RANGES.lr);
  if ("loss" in values) {
    if (this.kind === "training")
      fail("a training explorer shows the losses " + this.losses.join(", ") + "; loss cannot be set");
    checkChoice("loss", values.loss, LOSSES);
  }
  if ("playing" in values && typeof values.playing !== "boolean")
    fail("playing must be true or false, got " + values.playing);
  if ("epoch" in values) {
    var e = values.epoch;
    if (typeof e !== "number" || e !== Math.floor(e) || e < 0 || e > this.epochs)
      fail("epoch must be an integer from 0 to " + this.epochs + ", got " + e);
  }
  if ("points" in values) {
    checkPoints(values.points);
    if (values.points.length > 5000) fail("points: at most 5000, got " + values.points.length);
  }
};

proto.apply = function (values) {
  this.validate(values);
  var self = this, settingsChanged = false;
  if ("points" in values) {
    this.points = values.points.map(function (p) { return [p[0], p[1], p[2]]; });
    this.box = dataBox(this.points);
    this.selected = -1;
    settingsChanged = true;
  }
  ["delta", "lambda", "lr", "loss"].forEach(function (key) {
    if (key in values && values[key] !== self[key]) { self[key] = values[key]; settingsChanged = true; }
  });
  if ("playing" in values && !values.playing) this.playing = false;
  this.message = "";
  if (settingsChanged) this.recompute();
  if ("epoch" in values) this.goToEpoch(values.epoch);
  if (values.playing) this.play();
  this.changed();
};

proto.set = function (values) {
  this.apply(values);
  this.render();
  return this.state();
};

/** Boundary: the descent from (w0, b0) run to `epoch`; training: show that epoch. */
proto.goToEpoch = function (epoch) {
  if (this.kind === "training") { this.epoch = epoch; return; }
  var state = evaluate(this.problem, this.w0, this.b0, 0);
  while (state.epoch < epoch && !state.stuck) state = this.advance(state, true);
  this.descent = state;
};

/** One epoch of descent. J rising 5% above its lowest so far (the steps overshoot) pauses
 *  play with a message (`keepGoing`: the API's run to an epoch only notes it). */
proto.advance = function (state, keepGoing) {
  var next = stepState(this.problem, state, this.lr), low = Math.min(state.low || Infinity, state.objective);
  next.low = Math.min(low, next.objective);
  if (isFinite(next.objective)) {
    if (next.objective > low * (1 + RISE_TOL) && !this.message) {
      this.message = risen(next.epoch, low, next.objective);
      if (!keepGoing) this.playing = false;
    }
    return next;
  }
  this.playing = false;
  this.message = "Training diverged at epoch " + next.epoch + " (J is not finite): lower the learning rate.";
  state.stuck = true;
  return state;
};

function risen(epoch, low, now) {
  return "J rose at epoch " + epoch + " (" + now.toPrecision(4) + ", above its low of " + low.toPrecision(4) +
    "): the steps overshoot; lower the learning rate.";
}

/** Epochs a frame when playing: the run takes about 240 frames; an odd number, so that an
 *  oscillation with period 2 shows. */
proto.perFrame = function () {
  var k = Math.max(1, Math.round(this.epochs / 240));
  return k % 2 ? k : k + 1;
};

proto.play = function () {
  if (this.kind === "boundary") {
    var done = !this.descent || this.descent.epoch >= this.epochs;
    if (done) this.descent = evaluate(this.problem, this.w0, this.b0, 0); // start again from epoch 0
  } else if (this.epoch >= this.epochs) {
    this.epoch = 0;
  }
  this.playing = true;
  if (this.reducedMotion) this.finish(); // reduced motion: Play shows the end state at once
};

/** Run to the end (epochs, convergence or divergence) in one go, then pause. */
proto.finish = function () {
  while (this.playing) this.playOneFrame(); // where play would pause: the budget, convergence, a rise
  this.playing = false;
};

/** One animation frame of play: a few epochs (the whole run takes about 4 s at 60 Hz). */
proto.playOneFrame = function () {
  var from = this.epoch, perFrame = this.perFrame(), d = this.descent;
  if (this.kind === "training") {
    this.epoch = Math.min(this.epochs, this.epoch + perFrame);
    var self = this;
    this.runs.forEach(function (r) { // pause where a run's J first rises
      if (r.run.rose !== null && r.run.rose > from && r.run.rose <= self.epoch) { self.epoch = r.run.rose; self.playing = false; }
    });
    if (this.epoch >= this.epochs) this.playing = false;
    return;
  }
  for (var k = 0; k < perFrame && d.epoch < this.epochs && !d.stuck && this.playing; k++) d = this.advance(d);
  this.descent = d;
  var opts = this.settings();
  opts.w = d.w; opts.b = d.b;
  var gap = dualityGap(opts);
  if (d.epoch >= this.epochs || d.stuck || gap <= CONVERGED * d.objective) this.playing = false;
};

proto.stepBy = function (direction) {
  this.playing = false;
  this.message = "";
  if (this.kind === "training") {
    this.epoch = Math.max(0, Math.min(this.epochs, this.epoch + direction));
  } else {
    if (!this.descent) this.descent = evaluate(this.problem, this.w0, this.b0, 0);
    if (this.descent.epoch < this.epochs) this.descent = this.advance(this.descent);
    else this.message = "At the last epoch (" + this.epochs + "): Solve shows the optimum, Reset starts again.";
  }
  this.changed();
};

proto.solveNow = function () {
  this.playing = false;
  this.descent = null;
  this.message = "";
  this.changed();
};

proto.addPoint = function (label, at) {
  var same = this.points.filter(function (p) { return p[2] === label; });
  var x = at || [
    same.reduce(function (s, p) { return s + p[0]; }, 0) / same.length,
    same.reduce(function (s, p) { return s + p[1]; }, 0) / same.length,
  ];
  this.points.push([x[0], x[1], label]);
  this.selected = this.points.length - 1;
  this.message = "";
  this.recompute();
  this.changed();
};

proto.removeSelected = function () {
  var i = this.selected;
  if (i < 0) {
    this.message = "Select a point first: click it, or focus the plane and press N.";
  } else {
    var label = this.points[i][2];
    var left = this.points.filter(function (p) { return p[2] === label; }).length;
    if (left <= 1) {
      this.message = "Each class needs a point: the last " + (label > 0 ? "+1" : "−1") + " point stays.";
    } else {
      this.points.splice(i, 1);
      this.selected = Math.min(i, this.points.length - 1);
      this.message = "";
      this.recompute();
    }
  }
  this.changed();
};

/** Something changed: one redraw at the next animation frame, and a later announcement. */
proto.changed = function () {
  this.requestFrame();
  this.scheduleAnnouncement();
};

proto.requestFrame = function () {
  var self = this;
  if (this.pending) return;
  this.pending = requestAnimationFrame(function () {
    self.pending = 0;
    self.onFrame();
  });
};

proto.onFrame = function () {
  var start = performance.now();
  if (this.drag && this.drag.to) { this.moveSelected(this.drag.to, true); this.drag.to = null; }
  if (this.playing) this.playOneFrame();
  this.render();
  this.timing.lastFrameMs = performance.now() - start;
  this.timing.frames += 1;
  if (this.playing) { this.requestFrame(); this.scheduleAnnouncement(); }
};

/* ----------------------------------------------------------------- points */

proto.clampToBox = function (x) {
  var box = this.box;
  return [Math.min(box.x1, Math.max(box.x0, x[0])), Math.min(box.y1, Math.max(box.y0, x[1]))];
};

proto.moveSelected = function (x, keepMessage) {
  var p = this.points[this.selected], at = this.clampToBox(x);
  if (!p) return;
  p[0] = at[0];
  p[1] = at[1];
  if (!keepMessage) this.message = "";
  this.recompute();
};

proto.select = function (i) {
  this.selected = i;
  this.changed();
};

proto.viewOf = function (canvas) {
  return planeView(this.box, canvas.clientWidth || 300, canvas.clientHeight || 300);
};

proto.eventPoint = function (canvas, event) {
  var rect = canvas.getBoundingClientRect(), v = this.viewOf(canvas);
  var px = event.clientX - rect.left, py = event.clientY - rect.top;
  var inside = px >= v.left && px <= v.right && py >= v.top && py <= v.bottom;
  return { px: px, py: py, x: [v.dx(px), v.dy(py)], inside: inside, v: v };
};

proto.nearest = function (at, radius) {
  var best = -1, bestDistance = radius * radius;
  for (var i = 0; i < this.points.length; i++) {
    var dx = at.v.px(this.points[i][0]) - at.px, dy = at.v.py(this.points[i][1]) - at.py;
    if (dx * dx + dy * dy <= bestDistance) { best = i; bestDistance = dx * dx + dy * dy; }
  }
  return best;
};

proto.wirePlane = function (canvas) {
  var self = this;
  canvas.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    var at = self.eventPoint(canvas, event);
    var hit = self.nearest(at, CLICK_RADIUS[event.pointerType] || 12);
    if (hit < 0) {
      if (!at.inside) return;
      self.addPoint(Number(self.classSelect.value), at.x);
      hit = self.selected;
    }
    self.selected = hit;
    self.drag = { id: event.pointerId, to: null };
    if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
    canvas.focus({ preventScroll: true });
    event.preventDefault();
    self.changed();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!self.drag || self.drag.id !== event.pointerId) return;
    self.drag.to = self.eventPoint(canvas, event).x; // applied once per frame: moves coalesce
    self.changed();
  });
  function end(event) {
    if (!self.drag || self.drag.id !== event.pointerId) return;
    var to = self.drag.to;
    if (event.type === "pointerup") to = self.eventPoint(canvas, event).x;
    self.drag = null;
    if (to) self.moveSelected(to);
    self.changed();
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("keydown", function (event) { self.onKey(event); });
};

/** N / P select, arrows move (Shift: more), Delete removes, + (or =) and - add a point of each
 *  class, Escape lets go of the selection. Tab always moves on, out of the plane. */
proto.onKey = function (event) {
  var key = event.key, n = this.points.length, step = (this.box.x1 - this.box.x0) * (event.shiftKey ? 0.1 : 0.02);
  var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (key === "n" || key === "N") this.select((this.selected + 1) % n);
  else if (key === "p" || key === "P") this.select(this.selected <= 0 ? n - 1 : this.selected - 1);
  else if (moves[key]) {
    if (this.selected < 0) this.select(0);
    else {
      var p = this.points[this.selected];
      this.moveSelected([p[0] + moves[key][0], p[1] + moves[key][1]]);
      this.changed();
    }
  } else if (key === "Delete" || key === "Backspace") this.removeSelected();
  else if (key === "+" || key === "=") this.addPoint(1); // "=": "+" without Shift
  else if (key === "-") this.addPoint(-1);
  else if (key === "Escape" && this.selected >= 0) this.select(-1);
  else return;
  event.preventDefault();
};

proto.screenPoint = function (i) {
  if (!(i >= 0 && i < this.points.length))
    fail("point index must be from 0 to " + (this.points.length - 1) + ", got " + i);
  var canvas = this.planes[0], v = this.viewOf(canvas), rect = canvas.getBoundingClientRect();
  var y = rect.top + v.py(this.points[i][1]);
  if (y < 0 || y > window.innerHeight) {
    canvas.scrollIntoView({ block: "center" });
    rect = canvas.getBoundingClientRect();
  }
  return { x: rect.left + v.px(this.points[i][0]), y: rect.top + v.py(this.points[i][1]) };
};

/* ----------------------------------------------------------------- showing */

proto.state = function () {
  var state = {
    kind: this.kind, points: this.points.map(function (p) { return p.slice(); }),
    delta: this.delta, lambda: this.lambda, lr: this.lr, epochs: this.epochs,
    playing: this.playing, selected: this.selected, message: this.message,
  };
  if (this.kind === "boundary") {
    var s = this.shown(), numbers = s.numbers;
    return Object.assign(state, {
      loss: this.loss, w: s.w.slice(), b: s.b, epoch: s.epoch, shown: s.source,
      objective: s.objective, gap: s.gap, converged: s.gap <= CONVERGED * s.objective,
      marginWidth: numbers.marginWidth, supportVectors: s.supportVectors, violators: numbers.violators,
      ringed: s.ringCount, noBoundary: s.flat,
      optimum: { w: this.optimum.w.slice(), b: this.optimum.b, objective: this.optimum.objective,
        gap: this.optimum.gap },
    });
  }
  var models = this.models().map(function (m) {
    return { loss: m.loss, w: m.w.slice(), b: m.b, objective: m.objective, gap: m.gap, active: m.active,
      ringed: m.active, diverged: m.diverged, rose: m.rose };
  });
  var first = models[0];
  return Object.assign(state, {
    loss: first.loss, w: first.w, b: first.b, epoch: this.epoch, objective: first.objective,
    gap: first.gap, converged: first.gap <= CONVERGED * first.objective, models: models,
  });
};

proto.refreshPalette = function () {
  this.palette = readPalette(this.el);
  this.requestFrame();
};

proto.render = function () {
  if (this.kind === "boundary") this.renderBoundary();
  else this.renderTraining();
  setText(this.messageNode, this.message);
  setText(this.playButton, this.playing ? "Pause" : "Play");
  this.playButton.setAttribute("aria-pressed", String(this.playing));
  var self = this;
  ["delta", "lambda", "lr"].forEach(function (name) { self.sliders[name].show(self[name]); });
  if (this.lossSelect && this.lossSelect.value !== this.loss) this.lossSelect.value = this.loss;
};

proto.renderBoundary = function () {
  var s = this.shown(), pal = this.palette, n = this.points.length, numbers = s.numbers;
  var ghost = s.source === "descent" && !isFlat(this.optimum, this.lambda) ? this.optimum : null;
  var logistic = this.loss === "logistic", descent = s.source === "descent";
  drawPlane(this.planes[0], pal, {
    box: this.box, points: this.points, w: s.flat ? [0, 0] : s.w, b: s.b, delta: this.delta,
    ringed: s.ringed, selected: this.selected, ghost: ghost,
  });
  var margins = this.points.map(function (p) { return p[2] * (s.w[0] * p[0] + s.w[1] * p[1] + s.b); });
  drawLoss(this.lossCanvas, pal, { points: this.points, margins: margins, loss: this.loss, delta: this.delta });
  var converged = s.gap <= CONVERGED * s.objective;
  setText(this.titles[0], !descent
    ? "The optimum for these settings (the SVM for the hinge): drag, click or use the keys"
    : "Gradient descent, epoch " + s.epoch + (ghost ? "; dotted: the optimum it heads for" : ""));
  setText(this.titles[1], LOSS_LABELS[this.loss] + " loss at each point's margin m");
  var legend = descent ? "Ringed: the points inside the margin (m < Δ), not support vectors. " +
      (ghost ? "Dotted: the optimum these settings lead to." : "")
    : s.flat ? "w = 0: no boundary. The optimum gives every point the same score b, so there is no line to draw."
    : logistic ? "Logistic: every point pulls (all α > 0), so none is ringed."
    : "Ringed: the support vectors, the points with m ≤ Δ at the optimum. Shaded: the band |f(x)| < Δ.";
  if (logistic) legend += " Δ moves only the band and the counts: the logistic fit does not depend on it.";
  setText(this.legend, legend);
  var svCell = descent ? ["m < Δ (ringed)", String(s.ringCount)]
    : ["Support vectors", logistic ? "all (α > 0)" : String(s.supportVectors)];
  this.fillReadouts([
    ["Margin width", numbers.marginWidth === null ? "—" : fixed(numbers.marginWidth, 3)],
    svCell,
    ["Violators", String(numbers.violators)],
    ["Objective J", s.objective.toPrecision(4)],
    ["Duality gap", gapText(s.gap)],
    ["Epoch", s.source === "optimum" ? "— (solved)" : s.epoch + " of " + this.epochs],
    ["State", converged ? "converged ✓" : this.playing ? "training…" : "not converged"],
    ["Points", String(n)],
  ]);
  var delta = this.delta.toFixed(2);
  var selected = this.selected >= 0 ? ", point " + (this.selected + 1) + " selected" : "";
  this.lossCanvas.setAttribute("aria-label", LOSS_LABELS[this.loss] + " loss against the margin, with each of the " +
    n + " points at its margin; Δ = " + delta);
  this.planes[0].setAttribute("aria-label", "Data plane, " + n + " points" + selected + KEYS);
  var support = descent ? s.ringCount + " inside the margin, " : logistic ? "" : plural(s.supportVectors, "support vector") + ", ";
  var width = numbers.marginWidth === null ? "none (w = 0)" : fixed(numbers.marginWidth, 2);
  this.announcement = LOSS_LABELS[this.loss] + ", Δ " + delta + ", λ " + short(this.lambda) + ": margin width " +
    width + ", " + support + plural(numbers.violators, "violator") + ", objective " +
    s.objective.toPrecision(4) + (converged ? ", converged" : ", gap " + gapText(s.gap));
};

proto.renderTraining = function () {
  var self = this, pal = this.palette, n = this.points.length, models = this.models(), cells = [];
  this.sliders.epoch.show(this.epoch);
  models.forEach(function (m, i) {
    drawPlane(self.planes[i], pal, {
      box: self.box, points: self.points, w: m.w, b: m.b, delta: self.delta,
      ringed: insideMargin(self.points, m.w, m.b, self.delta).ringed, selected: self.selected, ghost: m.optimum,
    });
    var active = m.loss === "logistic" ? "every point has a gradient (" + m.active + " with m < Δ)"
      : m.active + " of " + n + " points have a gradient (m < Δ)";
    setText(self.titles[i], LOSS_LABELS[m.loss] + ", epoch " + m.epoch + ": " + active);
    var name = LOSS_LABELS[m.loss];
    var label = name + " training, epoch " + m.epoch + ", data plane of " + n + " points" + KEYS;
    self.planes[i].setAttribute("aria-label", label);
    cells.push([name + ": J", m.objective.toPrecision(4)], [name + ": gap", gapText(m.gap)]);
    if (m.rose !== null && self.epoch >= m.rose && !self.message)
      self.message = name + ": " + risen(m.rose, Math.min.apply(null, self.runs[i].run.objective.slice(0, m.rose)),
        self.runs[i].run.objective[m.rose]);
  });
  if (models.some(function (m) { return m.diverged !== null; }) && !this.message)
    this.message = "Training diverged (J is not finite): lower the learning rate.";
  var hinge = this.losses.indexOf("hinge") >= 0 ? " (the hinge's points with a gradient)" : "";
  setText(this.legend, "Ringed: the points with m < Δ" + hinge + ". Dotted: each loss's optimum." +
    (this.losses.indexOf("logistic") >= 0 ? " The logistic fit does not depend on Δ." : ""));
  cells = cells.slice(0, 6);
  cells.push(["Epoch", this.epoch + " of " + this.epochs], ["Points", String(n)]);
  this.fillReadouts(cells);
  this.announcement = "Epoch " + this.epoch + ": " + models.map(function (m) {
    var active = m.loss === "logistic" ? "every point active" : m.active + " active";
    return LOSS_LABELS[m.loss] + " objective " + m.objective.toPrecision(4) + ", " + active;
  }).join("; ");
};

proto.fillReadouts = function (cells) {
  var node = this.readouts;
  while (node.children.length < cells.length) {
    var group = make("div", { class: NS + "-readout" }); // "name: value"
    group.append(make("span"), make("strong"));
    node.append(group);
  }
  cells.forEach(function (cell, i) {
    setText(node.children[i].firstChild, cell[0]);
    setText(node.children[i].lastChild, cell[1]);
  });
};

/** The polite live region speaks the readouts once the reader has stopped for a moment. */
proto.scheduleAnnouncement = function () {
  var self = this;
  clearTimeout(this.announceTimer);
  this.announceTimer = setTimeout(function () {
    if (self.playing || self.drag) return self.scheduleAnnouncement();
    setText(self.live, self.announcement || "");
  }, ANNOUNCE_AFTER_MS);
};

/* -------------------------------------------------------------- mounting */

var mounted = [];

function mountAll() {
  var made = [];
  document.querySelectorAll("[data-explorer]").forEach(function (el) {
    if (el.hinge_explorer) return;
    try {
      el.hinge_explorer = new Explorer(el);
      el.dataset.explorerReady = "true";
      mounted.push(el.hinge_explorer);
      made.push(el);
    } catch (error) {
      el.dataset.explorerReady = "error";
      var why = "This explorer could not start: " + error.message;
    var note = make("p", { class: NS + "-error", role: "alert" }, why);
      el.insertBefore(note, el.querySelector("figcaption"));
      console.error(error);
    }
  });
  watchTheme();
  return made;
}

var watching = false, resizer = null;
/** Redraw in the new colours when the site's theme (html[data-theme]) or the OS's changes,
 *  and at the new size when an explorer is resized. */
function watchTheme() {
  if (typeof ResizeObserver !== "undefined") {
    resizer = resizer || new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { entry.target.parentNode.hinge_explorer.requestFrame(); });
    });
    mounted.forEach(function (e) { resizer.observe(e.rootNode); });
  }
  if (watching || typeof MutationObserver === "undefined") return;
  watching = true;
  var refresh = function () { mounted.forEach(function (e) { e.refreshPalette(); }); };
  var themes = { attributes: true, attributeFilter: ["data-theme", "class"] };
  new MutationObserver(refresh).observe(document.documentElement, themes);
  if (window.matchMedia) {
    var query = window.matchMedia("(prefers-color-scheme: dark)");
    if (query.addEventListener) query.addEventListener("change", refresh);
  }
}

HingeExplorer.mountAll = mountAll;
HingeExplorer.Explorer = Explorer;
if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
}
root.HingeExplorer = HingeExplorer;
if (typeof module !== "undefined" && module.exports) module.exports = HingeExplorer;
})(typeof globalThis !== "undefined" ? globalThis : this);
