import type { Language } from './language';

/** The message that brings the customer their video call: "Tu cita de Asesoría, martes 1 de diciembre, 10:00, es por videollamada: https://meet…". */
export function meetLinkText(language: Language, serviceName: string, startLabel: string, link: string): string {
  return language === 'es'
    ? `Tu cita de ${serviceName}, ${startLabel}, es por videollamada. Entra aquí a la hora: ${link}`
    : `Your ${serviceName} appointment, ${startLabel}, is a video call. Join here at the time: ${link}`;
}
