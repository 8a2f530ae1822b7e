// "Connect this computer to the practice": what the shell offers while this computer is
// not yet enrolled with the practice's audit collector. It enrolls by itself at sign-in
// when the practice's IdP issues tokens for the collector; otherwise (or before anyone
// signs in) IT or the VA types the one-time code IT issued. Nothing is lost meanwhile:
// the encrypted queue keeps every event until the collector has it.

/** The delivery's state as main's audit sync reports it. */
export interface DeliveryStatus {
  state: 'starting' | 'not-enrolled' | 'delivered' | 'retrying' | 'stopped';
  problem: { code: string; message: string } | null;
}

export interface EnrollmentStep {
  /** Why the step is offered, in words for the VA and IT. */
  message: string;
}

/** The step the shell shows, or null once the computer is connected (or cannot be, yet). */
export function enrollmentStepFor(delivery: DeliveryStatus | null, signedIn: boolean): EnrollmentStep | null {
  if (delivery === null) return null;
  if (delivery.state === 'not-enrolled') {
    return {
      message: signedIn
        ? 'This computer is not connected to the practice\u2019s activity log yet. If IT gave you an enrollment code, enter it here.'
        : 'This computer is not connected to the practice\u2019s activity log yet. It connects when you sign in, or IT can connect it now with an enrollment code.',
    };
  }
  if (delivery.state === 'retrying' && delivery.problem?.code === 'enrollment-failed') {
    return { message: `This computer could not connect to the practice\u2019s activity log: ${delivery.problem.message} If IT gave you an enrollment code, enter it here.` };
  }
  return null;
}
