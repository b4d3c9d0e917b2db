import time

from django_otp.oath import TOTP

from assess.people import two_factor
from tests.conftest import PASSWORD


def code_now(device, steps_ahead=0):
    """The code an authenticator app shows for this device (steps_ahead: 30 s later; the
    device accepts one step of drift, and refuses a code it accepted before)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():0{device.digits}d}"


def give_two_factor(user):
    """An authenticator device and recovery codes, as the set-up page makes them."""
    device = two_factor.totp_device_new(user)
    assert two_factor.totp_device_confirm(device=device, code=code_now(device))
    return device, two_factor.recovery_codes_new(user)


def sign_in_with_code(client, user, device, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302 and response.url == "/accounts/two-factor/verify/"
    return client.post("/accounts/two-factor/verify/", {"code": code_now(device, 1)})
