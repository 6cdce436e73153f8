import { consentCommand, consentReply } from '../../src/domain/consent';

describe('consentCommand (opt-out and opt-in requests)', () => {
  test.each(['STOP', 'stop', 'Baja', 'BAJA.', 'baja por favor', 'quiero darme de baja', 'No me escriban más', 'no me manden mas mensajes', 'Unsubscribe', "please don't text me anymore", 'dejen de escribirme'])(
    '%s opts out',
    (text) => expect(consentCommand(text)).toMatchObject({ optOut: true }),
  );

  test.each(['START', 'alta', 'Alta!', 'quiero darme de alta', 'subscribe'])('%s opts back in', (text) => {
    expect(consentCommand(text)).toMatchObject({ optOut: false });
  });

  test.each([
    'quiero dar de baja mi turno',
    'cancelar',
    'stop, cancel my appointment',
    '¿A qué hora empieza el alta médica?',
    'la presión me baja cuando hace calor, ¿puedo hacerme un masaje?',
    'hola',
    'Quiero reservar una limpieza facial',
  ])('%s is not a consent request', (text) => {
    expect(consentCommand(text)).toBeUndefined();
  });

  test('the confirmation answers in the language of the request and says how to undo it', () => {
    expect(consentReply(consentCommand('baja')!)).toContain('«alta»');
    expect(consentReply(consentCommand('STOP')!)).toContain('START');
    expect(consentReply(consentCommand('alta')!)).toContain('«baja»');
  });
});
