// Messages of the site settings (the administration's branding).

import type { Catalogue } from './messages'

export const SITE: Catalogue = {
  'app.site': ['Site', 'Site'],
  'site.title': ['Identité du site', 'Site identity'],
  'site.intro': [
    'Le nom, le logo et la couleur de l’administration sur le portail et dans le back-office. Un champ vide reprend la valeur de la configuration du serveur.',
    'The administration’s name, logo and colour on the portal and in the back office. An empty field takes the value of the server’s configuration.',
  ],
  'site.name': ['Nom de l’administration', 'Name of the administration'],
  'site.default': ['Si vide : {value}', 'When empty: {value}'],
  'site.logo': ['Adresse du logo', 'Logo address'],
  'site.logo.help': ['https://… ou un chemin de ce site commençant par /. Laisser vide pour ne pas afficher de logo.', 'https://… or a path on this site starting with /. Leave empty for no logo.'],
  'site.accent': ['Couleur d’accent', 'Accent colour'],
  'site.accent.picker': ['Choisir la couleur', 'Pick the colour'],
  'site.accent.invalid': ['Couleur à indiquer sous la forme #rrggbb.', 'Give the colour as #rrggbb.'],
  'site.contrast.ok': ['Contraste sur fond blanc : {ratio}:1 — lisible (au moins 4,5:1).', 'Contrast on white: {ratio}:1 — readable (at least 4.5:1).'],
  'site.contrast.low': ['Contraste sur fond blanc : {ratio}:1 — insuffisant, il faut au moins 4,5:1.', 'Contrast on white: {ratio}:1 — too low, at least 4.5:1 is needed.'],
  'site.decimal': [',', '.'],
  'site.preview': ['Aperçu', 'Preview'],
  'site.preview.button': ['Envoyer la demande', 'Send the request'],
  'site.save': ['Enregistrer', 'Save'],
  'site.saved': ['Enregistré : les pages l’affichent dès maintenant.', 'Saved: pages show it from now on.'],
}
