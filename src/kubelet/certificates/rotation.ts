// When to renew a certificate: client-go's nextRotationDeadline, a random point between 70% and
// 90% of its lifetime, so a fleet of kubelets issued together does not renew together.
import { rotationJitterFraction, rotationStartFraction } from './limits.js';

export function nextRotationDeadline(notBefore: Date, notAfter: Date, random: () => number = Math.random): Date {
  const totalMs = notAfter.getTime() - notBefore.getTime();
  const fraction = rotationStartFraction + rotationJitterFraction * random();
  return new Date(notBefore.getTime() + totalMs * fraction);
}
