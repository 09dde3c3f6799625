"""Forms of the account pages; every rule behind them lives in accounts.services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import proven_ids
from accounts.services.signup import identifier_parse
from motcua import inputs
from motcua.inputs import InputField, Kind, Rule

# The account's own columns (accounts/models.py); the same cleaning as every other entry point.
FULL_NAME = Rule(Kind.NAME, 150)
PERSONAL_ID = Rule(Kind.NUMBER, 12)
TAX_CODE = Rule(Kind.NUMBER, 14)
# Cleaned here (NFKC digits, no invisible characters); whether it is a mobile number that can
# receive the verification code is the account service's rule (accounts.validation).
MOBILE = Rule(Kind.NUMBER, 20)


def login_username_normalize(raw: str) -> str:
    """The username an e-mail or phone signs in as; other input (staff usernames) unchanged."""
    parsed = identifier_parse(raw)
    return parsed.value if parsed else (raw or "").strip()


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập, thư điện tử hoặc số điện thoại"), max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean_username(self) -> str:
        return login_username_normalize(self.cleaned_data.get("username", ""))


class _PasswordTwice(forms.Form):
    """A new password typed twice (fields `password`, `password2`, declared by each form)."""

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


class SignupForm(_PasswordTwice):
    kind = forms.ChoiceField(
        label=_("Loại tài khoản"), widget=forms.RadioSelect,
        choices=[(User.Kind.CITIZEN, _("Công dân")),
                 (User.Kind.BUSINESS, _("Doanh nghiệp, tổ chức"))],
        initial=User.Kind.CITIZEN)
    identifier = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại di động"), max_length=254,
        help_text=_("Dùng để đăng nhập; mã xác minh sẽ được gửi tới đây."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}))
    full_name = InputField(rule=FULL_NAME, label=_("Họ và tên"),
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    personal_id = InputField(
        rule=PERSONAL_ID, label=_("Số định danh cá nhân (CCCD)"), required=False,
        help_text=_("12 chữ số; có thể bổ sung sau trên trang thông tin cá nhân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    organization_name = InputField(rule=inputs.NAME, label=_("Tên doanh nghiệp, tổ chức"),
                                   required=False)
    tax_code = InputField(rule=TAX_CODE, label=_("Mã số doanh nghiệp (mã số thuế)"),
                          required=False)
    password = forms.CharField(label=_("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))



class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Mã xác minh"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại đã đăng ký"), max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))


class PasswordResetForm(_PasswordTwice):
    code = forms.CharField(label=_("Mã xác minh"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))
    password = forms.CharField(label=_("Mật khẩu mới"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu mới"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))



class ProfileForm(forms.Form):
    full_name = InputField(rule=FULL_NAME, label=_("Họ và tên"))
    personal_id = InputField(rule=PERSONAL_ID, label=_("Số định danh cá nhân (CCCD)"),
                             required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"},
                                                        format="%Y-%m-%d"),
                                 input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    address = InputField(rule=inputs.ADDRESS, label=_("Địa chỉ"), required=False)
    phone = InputField(rule=MOBILE, label=_("Số điện thoại"), required=False,
                       widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    organization_name = InputField(rule=inputs.NAME, label=_("Tên doanh nghiệp, tổ chức"),
                                   required=False)
    tax_code = InputField(rule=TAX_CODE, label=_("Mã số doanh nghiệp (mã số thuế)"),
                          required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user.kind != User.Kind.BUSINESS:
            del self.fields["organization_name"], self.fields["tax_code"]
        if user.vneid_verified:
            # VNeID vouched for these; the service keeps them whatever is posted.
            for name in ("full_name", "personal_id", "birth_date"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Đã xác thực qua VNeID.")
        proven = proven_ids(user)
        for name in ("personal_id", "tax_code"):
            if name in self.fields and getattr(user, name) and getattr(user, name) in proven \
                    and not self.fields[name].disabled:
                # A desk officer vouched for it; changing it takes another visit.
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Đã xác thực tại bộ phận một cửa.")
