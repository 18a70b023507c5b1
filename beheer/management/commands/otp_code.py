"""Shows the current code of a person's OTP device, standing in for the physical device in the demo."""

from django.core.management import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Toont de huidige code van het OTP device van een (demo)gebruiker."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        apparaat = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if apparaat is None:
            raise CommandError(f"Geen bevestigd OTP device voor '{username}'.")
        code = totp(apparaat.bin_key, step=apparaat.step, t0=apparaat.t0, digits=apparaat.digits, drift=apparaat.drift)
        self.stdout.write(f"{code:0{apparaat.digits}d}")
