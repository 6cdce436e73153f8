import { es } from './calendar';
import { booking, bookingOnEither, type DialogCase } from './types';

/**
 * Spanish dialogs, as customers write on WhatsApp: Argentine (vos, tenés, dale, turno), Chilean
 * (po, wena, pal, hora, cachai) and Mexican (cita, ahorita, órale, ¿me regala?). Typos are on
 * purpose. A dialog that books says yes to the bot's summary: the bot must ask before booking.
 */
export const SPANISH_DIALOGS: DialogCase[] = [
  // ── Argentina ────────────────────────────────────────────────────────────────────────────
  {
    id: 'ar-el-9-a-las-11',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(9);
      return {
        turns: ['Hola! quería un turno para depilación láser', `el ${day.day} a las 11 tenes?`, 'si'],
        expect: [booking('depilacion-laser', day, '11:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-el-11-limpieza',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(11);
      return {
        turns: [`Buenas! tenés lugar para limpieza facial el ${day.day}?`, 'a las 15 hs', 'dale'],
        expect: [booking('limpieza-facial', day, '15:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-jueves-10-de-diciembre',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const day = c.dated(4, { prefer: { month: 12, day: 10 } });
      return {
        turns: [`Hola, ¿tenés turno para peeling el ${es.full(day)}?`, 'a las 10 puede ser?', 'perfecto'],
        expect: [booking('peeling-quimico', day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-masaje-jueves-3-sin-verbo',
    language: 'es', variety: 'AR', topic: 'wording',
    script: (c) => {
      const day = c.dated(4, { prefer: { month: 12, day: 3 }, minDays: 2 });
      return {
        turns: [`Quiero un masaje descontracturante el ${es.full(day)} a las 11:00`, 'sí'],
        expect: [booking('masaje-descontracturante', day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-hola-sabado-a-la-manana',
    language: 'es', variety: 'AR', topic: 'greetings-regional',
    script: (c) => {
      const saturday = c.upcoming(6);
      return {
        turns: [`hola tenes algo el sabado${saturday.es} a la mañana para limpieza facial?`, 'a las 10 puede ser?', 'dale'],
        expect: [booking('limpieza-facial', saturday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-a-las-10-puede-ser',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`¿tienen turno el jueves${thursday.es} para masaje?`, 'a las 10 puede ser?', 'sí'],
        expect: [booking('masaje-descontracturante', thursday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-no-espera-mejor-a-las-5',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`Hola! Tenés turno el martes${tuesday.es} para limpieza facial?`, 'a las 11', 'no espera, mejor a las 5 de la tarde', 'sí'],
        expect: [booking('limpieza-facial', tuesday.day, '17:00')],
        confirmAt: 3,
      };
    },
  },
  {
    id: 'ar-pasarlo-al-viernes-misma-hora',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => {
      const wednesday = c.upcoming(3);
      const friday = c.upcoming(5);
      const fridayAfter = c.next(5, wednesday.day.diff(c.today, 'days').days + 1);
      return {
        turns: [`Quiero reservar depilación láser el miércoles${wednesday.es} a las 10`, 'sí', 'puedo pasarlo al viernes?', 'a la misma hora', 'sí'],
        expect: bookingOnEither('depilacion-laser', [friday.day, fridayAfter], '10:00'),
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-manana-10hs',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const soon = c.relative([1, 2], { saturday: true });
      return {
        turns: [`buenas! tenes para depi laser ${soon.es} 10hs?`, 'dale'],
        expect: [booking('depilacion-laser', soon.day, '10:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-a-las-5-es-de-la-tarde',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: ['Hola, quería sacar un turno para masaje descontracturante', `el miércoles${wednesday.es} a las 5`, 'sí'],
        expect: [booking('masaje-descontracturante', wednesday.day, '17:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-pasado-manana-a-la-tarde',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const soon = c.relative([2, 1]);
      return {
        turns: [`tenés turno ${soon.es} a la tarde para peeling?`, 'a las 16', 'ok'],
        expect: [booking('peeling-quimico', soon.day, '16:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-jueves-que-viene',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const coming = c.next(4);
      return {
        turns: ['Buenas tardes. ¿Habrá lugar el jueves que viene para una limpieza facial a las 14?', 'dale, reservalo'],
        // "que viene": the coming Thursday, or (some say) the one after.
        expect: { oneOf: [[booking('limpieza-facial', coming, '14:00')], [booking('limpieza-facial', coming.plus({ weeks: 1 }), '14:00')]] },
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-rafaga-saludo-y-pedido',
    language: 'es', variety: 'AR', topic: 'greetings-regional',
    script: (c) => {
      const day = c.dayOfMonth(14);
      return {
        turns: [['hola', 'buen día', 'quería turno para depilación', `el ${day.day} a las 9:30`], 'sí'],
        expect: [booking('depilacion-laser', day, '09:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-solo-precios',
    language: 'es', variety: 'AR', topic: 'facts',
    script: () => ({
      turns: ['Hola cuánto sale la depilación láser?', 'y el peeling?', 'ok gracias, lo pienso'],
      expect: [],
    }),
  },
  {
    id: 'ar-pregunta-disponibilidad-y-se-va',
    language: 'es', variety: 'AR', topic: 'facts',
    script: (c) => ({
      turns: [`tenés turno el viernes${c.upcoming(5).es} para masaje?`, 'buenísimo, después te escribo para confirmar'],
      expect: [],
    }),
  },
  {
    id: 'ar-hacen-depilacion-con-cera',
    language: 'es', variety: 'AR', topic: 'facts',
    script: () => ({
      turns: ['¿hacen depilación con cera?', 'ah ok, gracias'],
      expect: [],
    }),
  },
  {
    id: 'ar-cera-en-rafaga',
    language: 'es', variety: 'AR', topic: 'facts',
    script: () => ({
      turns: [['hola', 'hacen depilacion con cera?', 'es para piernas'], 'ah bueno, no importa'],
      expect: [],
    }),
  },
  {
    id: 'ar-no-gracias-al-ofrecimiento',
    language: 'es', variety: 'AR', topic: 'confirmation',
    script: (c) => ({
      turns: [`Tenés turno el lunes${c.upcoming(1).es} a las 10 para limpieza facial?`, 'no, gracias, mejor lo dejo para otro momento'],
      expect: [],
    }),
  },
  {
    id: 'ar-que-turnos-tengo',
    language: 'es', variety: 'AR', topic: 'wording',
    script: (c) => {
      const friday = c.upcoming(5).day;
      return {
        seed: [{ service: 'masaje-descontracturante', day: friday, time: '15:00', owner: 'customer' }],
        turns: ['que turnos tengo?', 'genial, gracias'],
        expect: [booking('masaje-descontracturante', friday, '15:00')],
      };
    },
  },
  {
    id: 'ar-que-turnos-tengo-y-cancela',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => ({
      seed: [{ service: 'depilacion-laser', day: c.upcoming(3).day, time: '11:30', owner: 'customer' }],
      turns: ['hola! qué turnos tengo?', 'ah cierto, cancelalo por favor', 'sí'],
      expect: [],
    }),
  },
  {
    id: 'ar-cancelar-mi-turno',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => ({
      seed: [{ service: 'depilacion-laser', day: c.upcoming(2).day, time: '10:00', owner: 'customer' }],
      turns: ['Hola, quiero cancelar mi turno', 'sí, cancelalo'],
      expect: [],
    }),
  },
  {
    id: 'ar-cancelar-el-del-jueves',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => {
      const thursday = c.upcoming(4);
      const friday = c.next(5, thursday.day.diff(c.today, 'days').days + 1);
      return {
        seed: [
          { service: 'limpieza-facial', day: thursday.day, time: '09:00', owner: 'customer' },
          { service: 'masaje-descontracturante', day: friday, time: '16:00', owner: 'customer' },
        ],
        turns: [`cancelame el turno del jueves${thursday.es} porfa, el del viernes lo mantengo`, 'sí'],
        expect: [booking('masaje-descontracturante', friday, '16:00')],
      };
    },
  },
  {
    id: 'ar-domingo-cerrado-entonces-lunes',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: ['tenés turno el domingo para limpieza facial?', `uh, y el lunes${monday.es} a las 10?`, 'dale'],
        expect: [booking('limpieza-facial', monday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-22hs-y-a-las-6-de-la-tarde',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`Hola! Tenés turno el viernes${friday.es} a las 22 para masaje?`, 'y a las 6 de la tarde?', 'dale'],
        expect: [booking('masaje-descontracturante', friday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-y-mas-tarde-ese-dia',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`¿Tenés turno el martes${tuesday.es} a la mañana para peeling?`, 'y mas tarde ese dia?', 'a las 4 está bien', 'sí'],
        expect: [booking('peeling-quimico', tuesday.day, '16:00')],
        confirmAt: 3,
      };
    },
  },
  {
    id: 'ar-el-ultimo-horario-ese-dia',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: [`Hola, quiero turno para limpieza facial el miércoles${wednesday.es}`, '¿cuál es el último horario que tenés ese día?', 'dale, ese'],
        expect: [booking('limpieza-facial', wednesday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-turno-ocupado-y-a-las-11',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        seed: [{ service: 'depilacion-laser', day: thursday.day, time: '10:00', owner: 'others' }],
        turns: [`¿Tenés turno el jueves${thursday.es} a las 10 para depilación láser?`, 'uh, y a las 11?', 'dale'],
        expect: [booking('depilacion-laser', thursday.day, '11:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-ocupado-con-los-dos-y-a-las-17',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const day = c.dayOfMonth(18);
      return {
        seed: [{ service: 'limpieza-facial', day, time: '15:00', owner: 'others' }],
        turns: [`Quiero turno para limpieza facial el ${day.day} a las 15`, 'y a las 17?', 'sí'],
        expect: [booking('limpieza-facial', day, '17:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-mejor-hacelo-limpieza',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`Quiero reservar peeling químico el viernes${friday.es} a las 11`, 'sí', 'uy no, mejor hacelo limpieza facial', 'sí'],
        expect: [booking('limpieza-facial', friday.day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-kiero-depilasion',
    language: 'es', variety: 'AR', topic: 'greetings-regional',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: [`kiero un turno de depilasion laser el lunes${monday.es} a las 9`, 'si dale'],
        expect: [booking('depilacion-laser', monday.day, '09:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-limpiesa-precio-y-turno',
    language: 'es', variety: 'AR', topic: 'greetings-regional',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`cuanto sale la limpiesa facial? y tenes turno el jueves${thursday.es} a la tarde?`, 'a las 15:30', 'dale'],
        expect: [booking('limpieza-facial', thursday.day, '15:30')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-un-turno-martes-16hs',
    language: 'es', variety: 'AR', topic: 'wording',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`Un turno para masaje el martes${tuesday.es} 16hs`, 'perfecto'],
        expect: [booking('masaje-descontracturante', tuesday.day, '16:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-reserva-y-cancela',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => ({
      turns: [`reservame limpieza facial el miércoles${c.upcoming(3).es} a las 10`, 'sí', 'ay no, me surgió algo. cancelalo', 'sí'],
      expect: [],
    }),
  },
  {
    id: 'ar-dia-y-mes-a-las-12',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(22);
      return {
        turns: [`¿Tenés lugar el ${day.day} de ${es.month(day)} para peeling a las 12?`, 'dale'],
        expect: [booking('peeling-quimico', day, '12:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-duracion-y-viernes-temprano',
    language: 'es', variety: 'AR', topic: 'wording',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`Hola! cuánto dura el masaje? y tenés algo para el viernes${friday.es} temprano?`, 'a las 9 dale', 'sí'],
        expect: [booking('masaje-descontracturante', friday.day, '09:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-perdon-el-martes',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => {
      const monday = c.upcoming(1);
      const tuesday = c.next(2, monday.day.diff(c.today, 'days').days + 1);
      return {
        turns: [`Quiero turno para depilación el lunes${monday.es} a las 10`, `no, perdón, el martes ${tuesday.day}`, 'sí'],
        expect: [booking('depilacion-laser', tuesday, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-ok-confirma',
    language: 'es', variety: 'AR', topic: 'confirmation',
    script: (c) => {
      const day = c.dayOfMonth(16);
      return {
        turns: [`Necesito un turno de peeling químico para el ${day.day} a las 14:30`, 'ok'],
        expect: [booking('peeling-quimico', day, '14:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-perfecto-confirma',
    language: 'es', variety: 'AR', topic: 'confirmation',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`me das un turno para limpieza facial el jueves${thursday.es} a las 12?`, 'perfecto'],
        expect: [booking('limpieza-facial', thursday.day, '12:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-dale-tras-la-lista',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: [`qué horarios tenés el lunes${monday.es} para masaje?`, 'el de las 14', 'dale'],
        expect: [booking('masaje-descontracturante', monday.day, '14:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-dos-mensajes-servicio-despues',
    language: 'es', variety: 'AR', topic: 'greetings-regional',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: [[`buenas, tenés algo el miércoles${wednesday.es} a las 11?`, 'es para peeling'], 'sí, reservalo'],
        expect: [booking('peeling-quimico', wednesday.day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-dias-y-horarios-sin-reservar',
    language: 'es', variety: 'AR', topic: 'facts',
    script: () => ({
      turns: ['¿Qué días y horarios atienden?', '¿y los sábados a la tarde?', 'ok, gracias'],
      expect: [],
    }),
  },
  {
    id: 'ar-donde-queda',
    language: 'es', variety: 'AR', topic: 'facts',
    script: () => ({
      turns: ['¿dónde queda la clínica?', 'gracias!'],
      expect: [],
    }),
  },
  {
    id: 'ar-me-arrepiento-antes',
    language: 'es', variety: 'AR', topic: 'confirmation',
    script: (c) => ({
      turns: [`Quiero reservar depilación láser el viernes${c.upcoming(5).es} a las 12`, 'mmm no, pensándolo bien no. Gracias igual'],
      expect: [],
    }),
  },
  {
    id: 'ar-cambiar-turno-existente',
    language: 'es', variety: 'AR', topic: 'changes',
    script: (c) => {
      const monday = c.upcoming(1);
      const wednesday = c.next(3, monday.day.diff(c.today, 'days').days + 1);
      return {
        seed: [{ service: 'limpieza-facial', day: monday.day, time: '14:00', owner: 'customer' }],
        turns: [`hola, tengo turno el lunes${monday.es} a las 14, lo puedo cambiar al miércoles ${wednesday.day}?`, 'a la misma hora', 'sí'],
        expect: [booking('limpieza-facial', wednesday, '14:00')],
      };
    },
  },
  {
    id: 'ar-sabado-a-la-tarde-cerrado',
    language: 'es', variety: 'AR', topic: 'offers',
    script: (c) => {
      const saturday = c.upcoming(6);
      return {
        turns: [`tenés turno el sábado${saturday.es} a las 17 para masaje?`, 'uh, y a la mañana? a las 11', 'dale'],
        expect: [booking('masaje-descontracturante', saturday.day, '11:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'ar-media-manana',
    language: 'es', variety: 'AR', topic: 'dates',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`hola! para el martes${tuesday.es} tenés limpieza facial a las 11 y media?`, 'sí, dale'],
        expect: [booking('limpieza-facial', tuesday.day, '11:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'ar-vos-me-reservas',
    language: 'es', variety: 'AR', topic: 'wording',
    script: (c) => {
      const day = c.dayOfMonth(15);
      return {
        turns: [`¿Vos me podés agendar un peeling para el ${day.day}? tipo 9 de la mañana`, 'sí, gracias'],
        expect: [booking('peeling-quimico', day, '09:00')],
        confirmAt: 1,
      };
    },
  },

  // ── Chile ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'cl-ya-po-hora-pal-jueves',
    language: 'es', variety: 'CL', topic: 'greetings-regional',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: ['wena, consulta, ¿cuánto sale el masaje?', `ya po, y tienen hora pal jueves${thursday.es}?`, 'a las 11', 'ya, dale'],
        expect: [booking('masaje-descontracturante', thursday.day, '11:00')],
        confirmAt: 3,
      };
    },
  },
  {
    id: 'cl-wena-kiero-hora-limpiesa',
    language: 'es', variety: 'CL', topic: 'greetings-regional',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: ['wena, kiero hora pa limpiesa facial', `pal viernes${friday.es} a las 10`, 'sí po'],
        expect: [booking('limpieza-facial', friday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-cachai-masaje-manana',
    language: 'es', variety: 'CL', topic: 'greetings-regional',
    script: (c) => {
      const soon = c.relative([1, 2]);
      return {
        turns: [`hola, tengo una contractura terrible cachai, ¿tienen hora pa masaje ${soon.es}?`, 'a las 15 porfa', 'sí'],
        expect: [booking('masaje-descontracturante', soon.day, '15:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-rafaga-hora-depilacion',
    language: 'es', variety: 'CL', topic: 'greetings-regional',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: [['hola', 'necesito hora pa depilación láser po', `el miércoles${wednesday.es} si se puede`], 'a las 12', 'ya'],
        expect: [booking('depilacion-laser', wednesday.day, '12:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-pal-sabado-en-la-manana',
    language: 'es', variety: 'CL', topic: 'dates',
    script: (c) => {
      const saturday = c.upcoming(6);
      return {
        turns: [`hay hora pal sábado${saturday.es} en la mañana pa peeling?`, 'a las 11 po', 'dale'],
        expect: [booking('peeling-quimico', saturday.day, '11:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-solo-precio',
    language: 'es', variety: 'CL', topic: 'facts',
    script: () => ({
      turns: ['cuánto vale la limpieza facial?', 'ya, gracias, lo voy a pensar'],
      expect: [],
    }),
  },
  {
    id: 'cl-domingo-y-lunes-en-la-tarde',
    language: 'es', variety: 'CL', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: ['¿tienen hora el domingo pa limpieza facial?', `ah ya, y el lunes${monday.es} en la tarde?`, 'a las 16', 'sí'],
        expect: [booking('limpieza-facial', monday.day, '16:00')],
        confirmAt: 3,
      };
    },
  },
  {
    id: 'cl-a-las-22-y-la-mas-tarde',
    language: 'es', variety: 'CL', topic: 'offers',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`oiga, ¿puedo ir a las 22 el jueves${thursday.es} pa un masaje? salgo tarde de la pega`, 'ya, entonces la más tarde que tengan ese día', 'ya po'],
        expect: [booking('masaje-descontracturante', thursday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-cambiar-pa-las-12',
    language: 'es', variety: 'CL', topic: 'changes',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: [`hola, quiero hora pa peeling el lunes${monday.es} a las 10`, 'sí', 'oye, ¿la puedo cambiar pa las 12?', 'sí po'],
        expect: [booking('peeling-quimico', monday.day, '12:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'cl-anular-mi-hora',
    language: 'es', variety: 'CL', topic: 'changes',
    script: (c) => ({
      seed: [{ service: 'limpieza-facial', day: c.upcoming(4).day, time: '17:00', owner: 'customer' }],
      turns: ['wena, necesito anular mi hora', 'sí, anúlala'],
      expect: [],
    }),
  },
  {
    id: 'cl-era-pa-saber',
    language: 'es', variety: 'CL', topic: 'confirmation',
    script: (c) => {
      const soon = c.relative([1, 2], { saturday: true });
      return {
        turns: [`¿hay hora ${soon.es} a las 10 pa depilación?`, 'no, gracias, era pa saber no más'],
        expect: [],
      };
    },
  },
  {
    id: 'cl-dia-del-mes-ojala-11',
    language: 'es', variety: 'CL', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(17);
      return {
        turns: [`hola! tienen hora el ${day.day} pa limpieza facial? a las 11 ojalá`, 'ya, resérvala'],
        expect: [booking('limpieza-facial', day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'cl-kiero-agendar-masage',
    language: 'es', variety: 'CL', topic: 'greetings-regional',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [`kiero agendar un masage pal martes${tuesday.es}`, 'a las 10', 'ya'],
        expect: [booking('masaje-descontracturante', tuesday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-chuta-tomada-y-a-las-12',
    language: 'es', variety: 'CL', topic: 'offers',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        seed: [{ service: 'masaje-descontracturante', day: friday.day, time: '11:00', owner: 'others' }],
        turns: [`¿hay hora pa masaje el viernes${friday.es} a las 11?`, 'chuta, ¿y a las 12?', 'ya, dale'],
        expect: [booking('masaje-descontracturante', friday.day, '12:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-moverla-al-jueves-misma-hora',
    language: 'es', variety: 'CL', topic: 'changes',
    script: (c) => {
      const tuesday = c.upcoming(2);
      const thursday = c.next(4, tuesday.day.diff(c.today, 'days').days + 1);
      return {
        turns: [`quiero hora pa limpieza facial el martes${tuesday.es} a las 9`, 'sí', `¿y me la puedes mover al jueves ${thursday.day}? a la misma hora`, 'ya'],
        expect: [booking('limpieza-facial', thursday, '09:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'cl-pasado-manana-a-las-3',
    language: 'es', variety: 'CL', topic: 'dates',
    script: (c) => {
      const soon = c.relative([2, 1]);
      return {
        turns: [`tienen hora ${soon.es} a las 3 pa depilación?`, 'sí'],
        expect: [booking('depilacion-laser', soon.day, '15:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'cl-a-que-hora-tengo-mi-hora',
    language: 'es', variety: 'CL', topic: 'wording',
    script: (c) => {
      const wednesday = c.upcoming(3).day;
      return {
        seed: [{ service: 'peeling-quimico', day: wednesday, time: '12:00', owner: 'customer' }],
        turns: ['¿me recuerdas a qué hora tengo mi hora?', 'ya, gracias'],
        expect: [booking('peeling-quimico', wednesday, '12:00')],
      };
    },
  },
  {
    id: 'cl-cera-o-laser',
    language: 'es', variety: 'CL', topic: 'facts',
    script: () => ({
      turns: ['¿hacen depilación con cera o solo láser?', 'ah ya, entonces nada po, gracias'],
      expect: [],
    }),
  },
  {
    id: 'cl-manicure-no',
    language: 'es', variety: 'CL', topic: 'facts',
    script: () => ({
      turns: ['¿tienen manicure?', 'ya, gracias igual'],
      expect: [],
    }),
  },
  {
    id: 'cl-rafaga-oye-mejor-a-las-11',
    language: 'es', variety: 'CL', topic: 'changes',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [['hola', `quiero hora pa depilación el jueves${thursday.es} a las 10`], 'sí', ['oye', 'mejor a las 11'], 'sí'],
        expect: [booking('depilacion-laser', thursday.day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'cl-la-ultima-po',
    language: 'es', variety: 'CL', topic: 'offers',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`¿qué horas tienen el viernes${friday.es} pa limpieza facial?`, 'la última po', 'sí'],
        expect: [booking('limpieza-facial', friday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-sabado-en-la-tarde-no',
    language: 'es', variety: 'CL', topic: 'offers',
    script: (c) => {
      const saturday = c.upcoming(6);
      return {
        turns: [`¿atienden el sábado${saturday.es} en la tarde? necesito hora pa peeling`, 'ya, ¿y en la mañana? a las 10', 'dale'],
        expect: [booking('peeling-quimico', saturday.day, '10:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-al-tiro-confirma',
    language: 'es', variety: 'CL', topic: 'confirmation',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: [`¿me agendas una limpieza facial el miércoles${wednesday.es} a las 16:30?`, 'ya po, al tiro'],
        expect: [booking('limpieza-facial', wednesday.day, '16:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'cl-tiene-disponibilidad-y-se-va',
    language: 'es', variety: 'CL', topic: 'facts',
    script: (c) => ({
      turns: [`¿tienen hora el martes${c.upcoming(2).es} pa depilación?`, 'ya, lo veo y les aviso'],
      expect: [],
    }),
  },
  {
    id: 'cl-cambiar-de-servicio-antes',
    language: 'es', variety: 'CL', topic: 'changes',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: [`hola, hay hora pa masaje el lunes${monday.es} a las 15?`, 'no, mejor que sea limpieza facial, a la misma hora', 'sí'],
        expect: [booking('limpieza-facial', monday.day, '15:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'cl-pa-la-otra-semana',
    language: 'es', variety: 'CL', topic: 'dates',
    script: (c) => {
      const tuesday = c.nextWeeks(2);
      return {
        turns: ['hola, ¿tienen hora pa depilación láser el martes de la otra semana a las 14?', 'sí'],
        expect: [booking('depilacion-laser', tuesday, '14:00')],
        confirmAt: 1,
      };
    },
  },

  // ── México ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'mx-me-regala-una-cita',
    language: 'es', variety: 'MX', topic: 'greetings-regional',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`Hola buenas tardes, ¿me regala una cita para limpieza facial el jueves${thursday.es}?`, 'a las 12 por favor', 'sí, órale'],
        expect: [booking('limpieza-facial', thursday.day, '12:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-informes-y-cita-a-las-4',
    language: 'es', variety: 'MX', topic: 'wording',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: ['¿Me regala informes del peeling químico?', `¿y tendrá cita para el viernes${friday.es} a las 4?`, 'sí, por favor'],
        expect: [booking('peeling-quimico', friday.day, '16:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-orale-si',
    language: 'es', variety: 'MX', topic: 'confirmation',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: [`Quisiera agendar una cita para masaje el lunes${monday.es} a las 11`, 'órale, sí'],
        expect: [booking('masaje-descontracturante', monday.day, '11:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'mx-dia-y-mes-a-las-10-30',
    language: 'es', variety: 'MX', topic: 'dates',
    script: (c) => {
      const day = c.dayOfMonth(21);
      return {
        turns: [`¿Tienen cita disponible el ${day.day} de ${es.month(day)} para depilación láser?`, 'a las 10:30', 'sí, perfecto'],
        expect: [booking('depilacion-laser', day, '10:30')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-ahorita-no-manana-a-las-5',
    language: 'es', variety: 'MX', topic: 'dates',
    script: (c) => {
      const soon = c.relative([1, 2]);
      return {
        turns: [`ahorita no puedo, pero ¿tienen cita ${soon.es} en la tarde para masaje?`, 'a las 5', 'sale'],
        expect: [booking('masaje-descontracturante', soon.day, '17:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-cancelar-mi-cita',
    language: 'es', variety: 'MX', topic: 'changes',
    script: (c) => ({
      seed: [{ service: 'masaje-descontracturante', day: c.upcoming(5).day, time: '10:00', owner: 'customer' }],
      turns: ['Buen día, necesito cancelar mi cita', 'sí, por favor'],
      expect: [],
    }),
  },
  {
    id: 'mx-reagendar-al-miercoles-misma-hora',
    language: 'es', variety: 'MX', topic: 'changes',
    script: (c) => {
      const tuesday = c.upcoming(2).day;
      const wednesday = c.upcoming(3).day;
      const wednesdayAfter = c.next(3, tuesday.diff(c.today, 'days').days + 1);
      return {
        seed: [{ service: 'limpieza-facial', day: tuesday, time: '10:00', owner: 'customer' }],
        turns: ['¿Puedo cambiar mi cita para el miércoles a la misma hora?', 'sí'],
        expect: bookingOnEither('limpieza-facial', [wednesday, wednesdayAfter], '10:00'),
      };
    },
  },
  {
    id: 'mx-rafaga-cita-peeling',
    language: 'es', variety: 'MX', topic: 'greetings-regional',
    script: (c) => {
      const tuesday = c.upcoming(2);
      return {
        turns: [['Buenas tardes', 'Quisiera una cita', 'para peeling químico', `el martes${tuesday.es} a las 3 de la tarde`], 'sí'],
        expect: [booking('peeling-quimico', tuesday.day, '15:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'mx-unas-de-acrilico',
    language: 'es', variety: 'MX', topic: 'facts',
    script: () => ({
      turns: ['¿Hacen uñas de acrílico?', 'Ok, gracias'],
      expect: [],
    }),
  },
  {
    id: 'mx-precio-y-duracion',
    language: 'es', variety: 'MX', topic: 'facts',
    script: () => ({
      turns: ['¿Qué precio tiene el masaje descontracturante?', '¿cuánto dura?', 'Gracias, le aviso'],
      expect: [],
    }),
  },
  {
    id: 'mx-horarios-sabado-lo-checo',
    language: 'es', variety: 'MX', topic: 'facts',
    script: (c) => ({
      turns: [`¿Qué horarios tiene el sábado${c.upcoming(6).es} para limpieza facial?`, 'Ok, lo checo y le confirmo'],
      expect: [],
    }),
  },
  {
    id: 'mx-abren-el-domingo',
    language: 'es', variety: 'MX', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        turns: ['¿Abren el domingo? quiero una cita para depilación', `ah ok, ¿y el lunes${monday.es} a las 9?`, 'sí'],
        expect: [booking('depilacion-laser', monday.day, '09:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-8-de-la-noche-y-a-las-6',
    language: 'es', variety: 'MX', topic: 'offers',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: [`¿Me puede dar cita a las 8 de la noche el miércoles${wednesday.es} para limpieza facial?`, '¿y a las 6?', 'sí, esa'],
        expect: [booking('limpieza-facial', wednesday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-no-espere-mejor-a-las-12',
    language: 'es', variety: 'MX', topic: 'changes',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`Quiero una cita de masaje para el jueves${thursday.es} a las 10`, 'no, espere, mejor a las 12', 'sí'],
        expect: [booking('masaje-descontracturante', thursday.day, '12:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-mejor-cambiemelo-a-peeling',
    language: 'es', variety: 'MX', topic: 'changes',
    script: (c) => {
      const friday = c.upcoming(5);
      return {
        turns: [`Agéndeme una limpieza facial el viernes${friday.es} a las 10, por favor`, 'sí', 'oiga, ¿mejor me lo cambia a peeling químico?', 'sí'],
        expect: [booking('peeling-quimico', friday.day, '10:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'mx-kiero-sita-depilasion',
    language: 'es', variety: 'MX', topic: 'greetings-regional',
    script: (c) => {
      const wednesday = c.upcoming(3);
      return {
        turns: [`kiero una sita para depilasion laser el miercoles${wednesday.es}`, 'a las 11', 'si'],
        expect: [booking('depilacion-laser', wednesday.day, '11:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-ocupada-y-a-las-11',
    language: 'es', variety: 'MX', topic: 'offers',
    script: (c) => {
      const monday = c.upcoming(1);
      return {
        seed: [{ service: 'peeling-quimico', day: monday.day, time: '10:00', owner: 'others' }],
        turns: [`¿Tiene cita para peeling el lunes${monday.es} a las 10?`, '¿y a las 11?', 'sí'],
        expect: [booking('peeling-quimico', monday.day, '11:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-que-citas-tengo',
    language: 'es', variety: 'MX', topic: 'wording',
    script: (c) => {
      const wednesday = c.upcoming(3).day;
      const friday = c.next(5, wednesday.diff(c.today, 'days').days + 1);
      return {
        seed: [
          { service: 'depilacion-laser', day: wednesday, time: '10:00', owner: 'customer' },
          { service: 'masaje-descontracturante', day: friday, time: '15:00', owner: 'customer' },
        ],
        turns: ['¿Qué citas tengo agendadas?', 'Perfecto, gracias'],
        expect: [booking('depilacion-laser', wednesday, '10:00'), booking('masaje-descontracturante', friday, '15:00')],
      };
    },
  },
  {
    id: 'mx-pasado-manana-9-y-media',
    language: 'es', variety: 'MX', topic: 'dates',
    script: (c) => {
      const soon = c.relative([2, 1], { saturday: true });
      return {
        turns: [`¿Hay cita ${soon.es} a las 9 y media para limpieza facial?`, 'sí, apártemela'],
        expect: [booking('limpieza-facial', soon.day, '09:30')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'mx-mejor-no-gracias',
    language: 'es', variety: 'MX', topic: 'confirmation',
    script: (c) => ({
      turns: [`¿Tiene cita el martes${c.upcoming(2).es} a las 10 para masaje?`, 'mmm no, mejor no, gracias'],
      expect: [],
    }),
  },
  {
    id: 'mx-la-ultima-de-la-tarde',
    language: 'es', variety: 'MX', topic: 'offers',
    script: (c) => {
      const thursday = c.upcoming(4);
      return {
        turns: [`¿Qué horarios tiene el jueves${thursday.es} para depilación láser?`, 'la última de la tarde', 'sí'],
        expect: [booking('depilacion-laser', thursday.day, '18:00')],
        confirmAt: 2,
      };
    },
  },
  {
    id: 'mx-viernes-de-la-proxima-semana',
    language: 'es', variety: 'MX', topic: 'dates',
    script: (c) => {
      const friday = c.nextWeeks(5);
      return {
        turns: ['Quisiera una cita para peeling el viernes de la próxima semana a las 10', 'sí'],
        expect: [booking('peeling-quimico', friday, '10:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'mx-cancelo-antes-de-confirmar',
    language: 'es', variety: 'MX', topic: 'confirmation',
    script: (c) => ({
      turns: [`¿Me aparta una cita para depilación láser el jueves${c.upcoming(4).es} a las 15?`, 'ay no, disculpe, mejor ahorita no'],
      expect: [],
    }),
  },
  {
    id: 'mx-ubicacion-y-pagos',
    language: 'es', variety: 'MX', topic: 'facts',
    script: () => ({
      turns: ['¿En dónde se ubican?', '¿aceptan tarjeta?', 'Muchas gracias'],
      expect: [],
    }),
  },
  {
    id: 'mx-sale-confirma',
    language: 'es', variety: 'MX', topic: 'confirmation',
    script: (c) => {
      const day = c.dayOfMonth(10);
      return {
        turns: [`Buenas, ¿tendrá espacio el ${day.day} a las 2 de la tarde para un masaje?`, 'sale, apúntemelo'],
        expect: [booking('masaje-descontracturante', day, '14:00')],
        confirmAt: 1,
      };
    },
  },
  {
    id: 'mx-la-misma-hora-otro-dia-despues',
    language: 'es', variety: 'MX', topic: 'changes',
    script: (c) => {
      const monday = c.upcoming(1);
      const thursday = c.next(4, monday.day.diff(c.today, 'days').days + 1);
      return {
        turns: [`Agende una cita de depilación láser el lunes${monday.es} a las 16, por favor`, 'sí', `Oiga, siempre no puedo el lunes, ¿me la pasa al jueves ${thursday.day}?`, 'a la misma hora', 'sí'],
        expect: [booking('depilacion-laser', thursday, '16:00')],
        confirmAt: 1,
      };
    },
  },
];
