/**
 * What the benchmark's customers write: questions the offline model answers from the catalogue
 * in one turn, never a booking (it would need slots and a staff member free for every customer),
 * a hand-over (the bot falls silent) or a bare "gracias" (deliberately unanswered), so that every
 * message must get exactly one reply.
 */
const QUESTIONS = [
  'Hola, ¿qué servicios tienen?',
  '¿Cuánto sale la depilación láser?',
  '¿Cuánto dura la limpieza facial profunda?',
  'Hi, how much is the relaxing massage?',
  '¿Qué precio tiene el peeling químico?',
  'How long does the laser hair removal take?',
  '¿Hacen masajes descontracturantes?',
] as const;

/** The `index`-th message of a customer, varied across customers so they do not move in lockstep. */
export function customerMessage(customer: number, index: number): string {
  return QUESTIONS[(customer + index) % QUESTIONS.length];
}
