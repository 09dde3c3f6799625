"""The forms of feedback pages; the rules themselves are in the services (a refused form shows
the service's message on the field it names and keeps everything typed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from feedback.models import Channel, Kind, Rating
from feedback.services.submit import Upload
from motcua.errors import DomainError

MAX_READ = 50 * 1024 * 1024


class SendForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    content = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"),
                              widget=forms.Textarea(attrs={"rows": 6}), max_length=10000,
                              help_text=_("Quy định hành chính nào, vướng mắc gì, đề xuất gì."))
    sender_name = forms.CharField(label=_("Họ và tên (hoặc tên tổ chức)"), max_length=150)
    sender_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    sender_email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    sender_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)
    publish_consent = forms.BooleanField(
        label=_("Tôi đồng ý công khai nội dung phản ánh và trả lời (không kèm thông tin cá "
                "nhân)"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "sender_name", "content"):
            self.fields[name].required = False  # the service names what is missing
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Gửi đến cơ quan"), queryset=units, required=False,
                empty_label=_("Để hệ thống chuyển đến cơ quan tiếp nhận chung"))

    def show_error(self, error: DomainError) -> None:
        """Put the service's message on the fields it names (the whole form otherwise)."""
        placed = False
        for field, messages in error.fields.items():
            if field in self.fields:
                for message in messages or [error.localized_message]:
                    self.add_error(field, message)
                placed = True
        if not placed:
            self.add_error(None, error.localized_message)


class RecordForm(SendForm):
    """A letter or a phone call typed by a feedback officer of the unit."""

    channel = forms.ChoiceField(label=_("Hình thức gửi đến"),
                                choices=[(Channel.LETTER, Channel.LETTER.label),
                                         (Channel.PHONE, Channel.PHONE.label)])


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã phản ánh"), max_length=40)
    bi_mat = forms.CharField(label=_("Mã bí mật hoặc 4 số cuối điện thoại"), max_length=20)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Ông/bà có hài lòng với trả lời không?"),
                               choices=Rating.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Góp ý thêm (không bắt buộc)"), required=False,
                           max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


def units_for_send():
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.OTHER).order_by("code")


def uploads_of(chosen: list) -> list[Upload]:
    """The files of the form (`motcua.held_files.held_uploads`: chosen now or kept from a
    refused try), as the service reads them."""
    files = []
    for f in chosen[:20]:
        f.seek(0)
        data = f.read(MAX_READ + 1)
        files.append(Upload(name=f.name, data=data, size=f.size))
    return files


KIND_CHOICES = [(k.value, k.label) for k in Kind]
